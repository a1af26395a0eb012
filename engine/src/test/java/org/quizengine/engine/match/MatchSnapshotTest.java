package org.quizengine.engine.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.Wire;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchSettings;
import org.quizengine.shared.match.MatchSnapshot;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.match.QuestionSpec;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;

/** A match carried to another node as a snapshot (through JSON, as the cluster map holds it) carries on identically. */
class MatchSnapshotTest {
    private static final long T0 = 1_800_000_000_000L;
    private final UUID ada = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();

    private MatchSpec spec() {
        List<QuestionSpec> questions = List.of(
            new QuestionSpec(1, "science", "easy", "Q1", List.of("a", "b", "c", "d"), 1),
            new QuestionSpec(2, "science", "easy", "Q2", List.of("a", "b", "c", "d"), 2),
            new QuestionSpec(3, "science", "hard", "Q3", List.of("a", "b", "c", "d"), 0));
        return new MatchSpec(UUID.randomUUID(), MatchKind.QUICK, "science",
            List.of(new PlayerInfo(ada, "ada"), new PlayerInfo(bob, "bob")), questions,
            new MatchSettings(3, 10_000, 1_000, 2_000, 30_000), Map.of(ada, "node-a", bob, "node-b"));
    }

    private static Match viaJson(Match match) {
        return Match.restore(Wire.decode(Wire.encode(match.snapshot()), MatchSnapshot.class));
    }

    @Test
    void theReplicatedFormIsPlainAsciiAndRestoresAccentsAndQuotes() {
        List<QuestionSpec> questions = List.of(
            new QuestionSpec(1, "food", "easy", "Which café dish is \u201cnaïve\u201d \u2014 or not?", List.of("Crêpe", "Smørrebrød", "Pho", "Tea"), 1));
        MatchSpec spec = new MatchSpec(UUID.randomUUID(), MatchKind.QUICK, "food",
            List.of(new PlayerInfo(ada, "ada"), new PlayerInfo(bob, "bøb")), questions,
            new MatchSettings(1, 10_000, 1_000, 2_000, 30_000), Map.of(ada, "node-a", bob, "node-b"));
        Match match = Match.create(spec);
        match.start(T0);
        match.onTimer(T0 + 1_000);
        match.answer(ada, 0, 1, T0 + 2_000);

        String record = Wire.encodeAscii(match.snapshot());

        assertThat(record.chars()).as("every character of the record").allMatch(c -> c < 128);
        assertThat(Wire.decode(record, MatchSnapshot.class)).isEqualTo(match.snapshot());
    }

    @Test
    void aLobbyMatchKeepsItsHostAcrossTheReplicatedFormAndOneWithoutTheFieldHasNone() {
        MatchSpec quick = spec();
        MatchSpec lobby = new MatchSpec(quick.matchId(), MatchKind.LOBBY, quick.category(), quick.players(),
            quick.questions(), quick.settings(), quick.playerNodes(), bob);

        assertThat(Wire.decode(Wire.encodeAscii(lobby), MatchSpec.class)).isEqualTo(lobby);
        // A spec written by a node that predates hostId: a lobby match without a host screen count.
        String older = Wire.encode(lobby).replace(",\"hostId\":\"" + bob + "\"", "");
        assertThat(older).doesNotContain("hostId");
        assertThat(Wire.decode(older, MatchSpec.class).hostId()).isNull();
    }

    @Test
    void aMatchRestoredMidQuestionKeepsAcknowledgedAnswersDeadlinesAndScores() {
        Match original = Match.create(spec());
        original.start(T0);
        original.onTimer(T0 + 1_000); // question 0 opens
        original.answer(ada, 0, 1, T0 + 3_000); // correct, acknowledged
        original.answer(bob, 0, 0, T0 + 4_000);
        original.onTimer(T0 + 4_000 + 2_000); // (closed early) question 1 opens after the reveal pause
        original.answer(ada, 1, 2, T0 + 6_500); // acknowledged, then the node dies

        Match copy = viaJson(original);
        assertThat(copy.snapshot()).isEqualTo(original.snapshot());
        assertThat(copy.nextWakeAt()).isEqualTo(original.nextWakeAt());
        assertThat(copy.answer(ada, 1, 3, T0 + 7_000).rejection()).as("the acknowledged answer stands")
            .isEqualTo(ErrorCode.ALREADY_ANSWERED);

        // Both carry on with the same inputs and reach the same result.
        for (Match match : List.of(original, copy)) {
            match.answer(bob, 1, 2, T0 + 8_000);
            match.onTimer(T0 + 10_000);
            match.answer(ada, 2, 0, T0 + 10_500);
            match.answer(bob, 2, 1, T0 + 11_000);
        }
        MatchResult fromOriginal = original.result();
        assertThat(fromOriginal).isNotNull();
        assertThat(copy.result()).isEqualTo(fromOriginal);
    }

    @Test
    void adoptingAMatchMarksPlayersOnTheLostNodeAwayWithGrace() {
        Match original = Match.create(spec());
        original.start(T0);
        original.onTimer(T0 + 1_000);
        Match adopted = viaJson(original);

        Step step = adopted.markLostNodesAway(Set.of("node-a")::contains, T0 + 2_000);

        assertThat(step.events()).extracting(Outgoing::event)
            .containsExactly(new ServerEvent.PlayerStatus(original.matchId(), bob, "disconnected"));
        assertThat(step.events().get(0).recipients()).containsExactly(ada);
        assertThat(adopted.nodeOf(bob)).isNull();
        assertThat(adopted.nextWakeAt()).as("the question's own deadline still comes first")
            .isEqualTo(T0 + 1_000 + 10_000 + 1);
        // bob comes back through another node within the grace and finds his seat.
        Step back = adopted.attach(bob, "node-c", "c1", T0 + 5_000);
        assertThat(back.isRejected()).isFalse();
        assertThat(((ServerEvent.MatchState) back.reply()).remainingMs()).isEqualTo(T0 + 11_000 - (T0 + 5_000));
    }
}
