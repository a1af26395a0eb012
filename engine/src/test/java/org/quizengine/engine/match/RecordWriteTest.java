package org.quizengine.engine.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quizengine.shared.match.MatchSnapshot;

/**
 * A match's record as its writes leave it: inputs appended in order, writes made again after an
 * indeterminate outcome (the first try may still land, late), compaction points, and fencing.
 */
class RecordWriteTest {
    private final MapReplication replication = new MapReplication();
    private final Replication.Fence owner = Replication.Fence.first("node-a");
    private final MatchSnapshot first = Match.create(ReplicationMemberLossTest.spec()).snapshot();
    private final UUID matchId = first.spec().matchId();

    @Test
    void appendedInputsAreKeptInOrderAfterTheSnapshot() {
        succeeded(replication.create("node-a", first));
        succeeded(replication.append(matchId, owner, first.version() + 1, List.of(tick(1), tick(2))));
        succeeded(replication.append(matchId, owner, first.version() + 3, List.of(tick(3))));

        LiveMatchRecord record = replication.record(matchId);
        assertThat(record.steps()).containsExactly(tick(1), tick(2), tick(3));
        assertThat(record.version()).isEqualTo(first.version() + 3);
    }

    @Test
    void anAppendMadeAgainSucceedsAndLeavesTheRecordAsTheFirstTryDid() {
        succeeded(replication.create("node-a", first));
        succeeded(replication.append(matchId, owner, first.version() + 1, List.of(tick(1))));
        LiveMatchRecord once = replication.record(matchId);

        succeeded(replication.append(matchId, owner, first.version() + 1, List.of(tick(1))));

        assertThat(replication.record(matchId)).isEqualTo(once);
    }

    @Test
    void aTryThatLandsAfterNewerAppendsChangesNothing() {
        succeeded(replication.create("node-a", first));
        succeeded(replication.append(matchId, owner, first.version() + 1, List.of(tick(1))));
        succeeded(replication.append(matchId, owner, first.version() + 2, List.of(tick(2), tick(3))));
        LiveMatchRecord newest = replication.record(matchId);

        succeeded(replication.append(matchId, owner, first.version() + 2, List.of(tick(2))));

        assertThat(replication.record(matchId)).isEqualTo(newest);
    }

    @Test
    void anAppendThatWouldLeaveAGapIsRefused() {
        succeeded(replication.create("node-a", first));

        Future<Void> gap = replication.append(matchId, owner, first.version() + 2, List.of(tick(2)));

        assertThat(gap.failed()).isTrue();
        assertThat(gap.cause()).hasMessageContaining("misses the inputs");
        assertThat(replication.record(matchId).steps()).isEmpty();
    }

    @Test
    void aCompactionReplacesTheInputsAndALateOlderOneIsRefused() {
        succeeded(replication.create("node-a", first));
        succeeded(replication.append(matchId, owner, first.version() + 1, List.of(tick(1), tick(2))));
        MatchSnapshot v2 = atVersion(first, first.version() + 2);
        succeeded(replication.compact(owner, v2));
        succeeded(replication.append(matchId, owner, v2.version() + 1, List.of(tick(3))));
        assertThat(replication.record(matchId).snapshotVersion()).isEqualTo(v2.version());
        assertThat(replication.record(matchId).steps()).containsExactly(tick(3));

        Future<Void> late = replication.compact(owner, v2);

        assertThat(late.failed()).as("the late try of the compaction at v2").isTrue();
        assertThat(late.cause()).hasMessageContaining("newer version");
        assertThat(replication.record(matchId).steps()).containsExactly(tick(3));
    }

    @Test
    void afterATakeoverTheOldOwnersWritesAreRefusedAndASecondAdopterLoses() {
        succeeded(replication.create("node-a", first));
        succeeded(replication.takeOver(owner, first.version(), "node-b", first));
        succeeded(replication.takeOver(owner, first.version(), "node-b", first)); // made again: it took the first time

        Future<Void> oldOwner = replication.append(matchId, owner, first.version() + 1, List.of(tick(1)));
        Future<Void> secondAdopter = replication.takeOver(owner, first.version(), "node-c", first);
        Future<Void> oldRemove = replication.remove(matchId, owner);

        assertThat(oldOwner.failed()).isTrue();
        assertThat(oldOwner.cause()).hasMessageContaining("is run by another node (node-b, epoch 2");
        assertThat(secondAdopter.failed()).isTrue();
        assertThat(oldRemove.failed()).isTrue();
        assertThat(replication.record(matchId).fence()).isEqualTo(new Replication.Fence("node-b", 2));
    }

    @Test
    void aTakeoverFromARecordThatMovedOnSinceItWasReadIsRefusedAndWritesNothingOver() {
        succeeded(replication.create("node-a", first));
        long handedVersion = replication.record(matchId).version();
        // The old owner's write lands after the adopter read the record, before its takeover.
        succeeded(replication.append(matchId, owner, first.version() + 1, List.of(tick(1))));

        Future<Void> takeOver = replication.takeOver(owner, handedVersion, "node-b", first);

        assertThat(takeOver.failed()).isTrue();
        assertThat(takeOver.cause()).hasMessageContaining("changed since it was handed over");
        assertThat(replication.record(matchId).steps()).containsExactly(tick(1));
        assertThat(replication.record(matchId).fence()).isEqualTo(owner);
    }

    private static MatchInput tick(long at) {
        return new MatchInput.Tick(at);
    }

    private static MatchSnapshot atVersion(MatchSnapshot s, long version) {
        return new MatchSnapshot(version, s.spec(), s.phase(), s.startsAt(), s.questionIndex(), s.openedAt(),
            s.deadline(), s.nextQuestionAt(), s.seats(), s.closedQuestions(), s.openQuestion(), s.lastReveal(), s.result());
    }

    private static void succeeded(Future<Void> write) {
        assertThat(write.succeeded()).as("write: %s", write.cause()).isTrue();
    }
}
