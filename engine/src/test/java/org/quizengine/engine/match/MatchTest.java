package org.quizengine.engine.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.AnswerRecord;
import org.quizengine.shared.match.MatchResult.PlayerResult;
import org.quizengine.shared.match.MatchResult.QuestionResult;
import org.quizengine.shared.match.MatchSettings;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.match.QuestionSpec;
import org.quizengine.shared.protocol.AnswerResult;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerEvent.AnswerAccepted;
import org.quizengine.shared.protocol.ServerEvent.AnswerCount;
import org.quizengine.shared.protocol.ServerEvent.MatchFinished;
import org.quizengine.shared.protocol.ServerEvent.MatchStarting;
import org.quizengine.shared.protocol.ServerEvent.MatchState;
import org.quizengine.shared.protocol.ServerEvent.PlayerStatus;
import org.quizengine.shared.protocol.ServerEvent.Question;
import org.quizengine.shared.protocol.ServerEvent.Reveal;
import org.quizengine.shared.protocol.Standing;

/**
 * The rules of a live match, driven by hand: every call gets its own {@code now}, so deadlines,
 * pauses and reconnect grace are exercised to the millisecond without a clock or a sleep.
 */
@DisplayName("Match rules")
class MatchTest {

    private static final UUID MATCH_ID = UUID.fromString("6d1f0c8e-0000-4000-8000-0000000000aa");
    private static final PlayerInfo ANN = player("a", "ann");
    private static final PlayerInfo BOB = player("b", "bob");
    private static final PlayerInfo CAT = player("c", "cat");
    private static final PlayerInfo STRANGER = player("f", "mallory");
    private static final List<PlayerInfo> PLAYERS = List.of(ANN, BOB, CAT);
    private static final List<UUID> EVERYONE = ids(ANN, BOB, CAT);

    private static final long T0 = 1_700_000_000_000L;
    private static final long COUNTDOWN_MS = 3_000;
    private static final long QUESTION_MS = 10_000;
    private static final long REVEAL_MS = 2_000;
    private static final long GRACE_MS = 30_000;

    /** Default pacing: the first question opens at {@code Q0_OPEN} and takes answers up to {@code Q0_DEADLINE}. */
    private static final long Q0_OPEN = T0 + COUNTDOWN_MS;
    private static final long Q0_DEADLINE = Q0_OPEN + QUESTION_MS;
    /** In {@link #atSecondQuestion()}: question 0 closed early at {@code Q0_CLOSE}, question 1 opened after the reveal pause. */
    private static final long Q0_CLOSE = Q0_OPEN + 1_000;
    private static final long Q1_OPEN = Q0_CLOSE + REVEAL_MS;
    private static final long Q1_DEADLINE = Q1_OPEN + QUESTION_MS;
    /** What CAT earns in {@link #atSecondQuestion()}: correct after 1 s of 10 s. */
    private static final int CAT_Q0_POINTS = 950;

    @Nested
    @DisplayName("a full match")
    class FullMatch {

        @Test
        void three_players_play_three_questions_and_get_every_event_in_order_and_a_complete_result() {
            Match match = newMatch();

            Step starting = match.start(T0);
            assertThat(starting.events()).containsExactly(toEveryone(
                new MatchStarting(MATCH_ID, "quick", "science", PLAYERS, 3, QUESTION_MS, Q0_OPEN, T0)));
            assertThat(match.phase()).isEqualTo(Phase.COUNTDOWN);

            // Question 0 (correct option 1): all three answer, the last answer closes it early.
            assertThat(match.onTimer(Q0_OPEN).events()).containsExactly(toEveryone(questionEvent(0, Q0_OPEN, Q0_OPEN)));
            Step annQ0 = match.answer(ANN.userId(), 0, 1, Q0_OPEN + 1_000);
            assertThat(annQ0.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 0, 1, 1_000));
            assertThat(annQ0.events()).isEmpty();
            Step bobQ0 = match.answer(BOB.userId(), 0, 1, Q0_OPEN + 2_500);
            assertThat(bobQ0.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 0, 1, 2_500));
            assertThat(bobQ0.events()).isEmpty();
            Step catQ0 = match.answer(CAT.userId(), 0, 0, Q0_OPEN + 4_000);
            assertThat(catQ0.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 0, 0, 4_000));
            long q0Closed = Q0_OPEN + 4_000;
            long q1Open = q0Closed + REVEAL_MS;
            assertThat(catQ0.events()).containsExactly(toEveryone(new Reveal(MATCH_ID, 0, 1,
                List.of(
                    new AnswerResult(ANN.userId(), 1, true, 950, 1, 1_000L),
                    new AnswerResult(BOB.userId(), 1, true, 875, 1, 2_500L),
                    new AnswerResult(CAT.userId(), 0, false, 0, 0, 4_000L)),
                List.of(
                    standing(1, ANN, 950, 1, 1, "connected"),
                    standing(2, BOB, 875, 1, 1, "connected"),
                    standing(3, CAT, 0, 0, 0, "connected")),
                q0Closed, q1Open)));
            assertThat(catQ0.finished()).isNull();

            // Question 1 (correct option 2): CAT does not answer, so it closes on the timer.
            assertThat(match.onTimer(q1Open).events()).containsExactly(toEveryone(questionEvent(1, q1Open, q1Open)));
            assertThat(match.answer(BOB.userId(), 1, 2, q1Open).reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 1, 2, 0));
            assertThat(match.answer(ANN.userId(), 1, 2, q1Open + 2_000).reply())
                .isEqualTo(new AnswerAccepted(MATCH_ID, 1, 2, 2_000));
            long q1Closed = q1Open + QUESTION_MS + 1;
            long q2Open = q1Closed + REVEAL_MS;
            assertThat(match.onTimer(q1Closed).events()).containsExactly(toEveryone(new Reveal(MATCH_ID, 1, 2,
                List.of(
                    new AnswerResult(ANN.userId(), 2, true, 1_000, 2, 2_000L),
                    new AnswerResult(BOB.userId(), 2, true, 1_100, 2, 0L),
                    new AnswerResult(CAT.userId(), null, false, 0, 0, null)),
                List.of(
                    standing(1, BOB, 1_975, 2, 2, "connected"),
                    standing(2, ANN, 1_950, 2, 2, "connected"),
                    standing(3, CAT, 0, 0, 0, "connected")),
                q1Closed, q2Open)));

            // Question 2 (correct option 3, the last): ANN answers at the deadline's very millisecond.
            assertThat(match.onTimer(q2Open).events()).containsExactly(toEveryone(questionEvent(2, q2Open, q2Open)));
            accepted(match.answer(BOB.userId(), 2, 0, q2Open + 5_000));
            accepted(match.answer(CAT.userId(), 2, 3, q2Open + 5_000));
            long q2Closed = q2Open + QUESTION_MS;
            Step last = match.answer(ANN.userId(), 2, 3, q2Closed);
            assertThat(last.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 2, 3, QUESTION_MS));
            List<Standing> finalStandings = List.of(
                standing(1, ANN, 2_650, 3, 3, "connected"),
                standing(2, BOB, 1_975, 2, 0, "connected"),
                standing(3, CAT, 750, 1, 1, "connected"));
            assertThat(last.events()).containsExactly(
                toEveryone(new Reveal(MATCH_ID, 2, 3,
                    List.of(
                        new AnswerResult(ANN.userId(), 3, true, 700, 3, QUESTION_MS),
                        new AnswerResult(BOB.userId(), 0, false, 0, 0, 5_000L),
                        new AnswerResult(CAT.userId(), 3, true, 750, 1, 5_000L)),
                    finalStandings, q2Closed, null)),
                toEveryone(new MatchFinished(MATCH_ID, finalStandings, q2Closed)));

            MatchResult expected = new MatchResult(MATCH_ID, MatchKind.QUICK, "science", Q0_OPEN, q2Closed,
                List.of(
                    new PlayerResult(ANN.userId(), "ann", 1, 2_650, 3, 3, 3, false),
                    new PlayerResult(BOB.userId(), "bob", 2, 1_975, 2, 3, 2, false),
                    new PlayerResult(CAT.userId(), "cat", 3, 750, 1, 2, 1, false)),
                List.of(
                    new QuestionResult(0, question(0), Q0_OPEN, q0Closed, List.of(
                        new AnswerRecord(ANN.userId(), 1, true, 950, 1_000, Q0_OPEN + 1_000, 1),
                        new AnswerRecord(BOB.userId(), 1, true, 875, 2_500, Q0_OPEN + 2_500, 1),
                        new AnswerRecord(CAT.userId(), 0, false, 0, 4_000, Q0_OPEN + 4_000, 0))),
                    new QuestionResult(1, question(1), q1Open, q1Closed, List.of(
                        new AnswerRecord(ANN.userId(), 2, true, 1_000, 2_000, q1Open + 2_000, 2),
                        new AnswerRecord(BOB.userId(), 2, true, 1_100, 0, q1Open, 2))),
                    new QuestionResult(2, question(2), q2Open, q2Closed, List.of(
                        new AnswerRecord(ANN.userId(), 3, true, 700, QUESTION_MS, q2Closed, 3),
                        new AnswerRecord(BOB.userId(), 0, false, 0, 5_000, q2Open + 5_000, 0),
                        new AnswerRecord(CAT.userId(), 3, true, 750, 5_000, q2Open + 5_000, 1)))));
            assertThat(last.finished()).isEqualTo(expected);
            assertThat(match.result()).isEqualTo(expected);
            assertThat(match.phase()).isEqualTo(Phase.FINISHED);
            assertThat(match.nextWakeAt()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void reports_the_result_exactly_once_however_the_match_is_poked_afterwards() {
            Match match = newMatch();
            List<Step> steps = new ArrayList<>();
            steps.add(match.start(T0));
            steps.add(match.onTimer(Q0_OPEN));
            for (int index = 0; index < 3; index++) {
                long opened = match.nextWakeAt() - QUESTION_MS - 1;
                steps.add(match.answer(ANN.userId(), index, correctOf(index), opened + 10));
                steps.add(match.answer(BOB.userId(), index, wrongOf(index), opened + 20));
                steps.add(match.onTimer(match.nextWakeAt()));
                if (match.phase() == Phase.REVEAL) {
                    steps.add(match.onTimer(match.nextWakeAt()));
                }
            }
            assertThat(match.phase()).isEqualTo(Phase.FINISHED);
            long after = Q0_OPEN + 100_000;
            steps.add(match.onTimer(after));
            steps.add(match.answer(CAT.userId(), 2, correctOf(2), after));
            steps.add(match.attach(CAT.userId(), "node-2", "cat-2", after));
            steps.add(match.detach(ANN.userId(), null, after));
            steps.add(match.leave(BOB.userId(), after));

            assertThat(steps).filteredOn(step -> step.finished() != null).hasSize(1);
            assertThat(steps).filteredOn(step -> step.finished() != null).first()
                .extracting(Step::finished).isEqualTo(match.result());
            assertThat(match.result().questions()).extracting(QuestionResult::index).containsExactly(0, 1, 2);
        }
    }

    @Nested
    @DisplayName("the deadline")
    class Deadline {

        @Test
        void an_answer_at_the_deadlines_very_millisecond_is_accepted_and_scored_as_the_slowest_correct_answer() {
            Match match = atFirstQuestion();

            Step step = match.answer(ANN.userId(), 0, correctOf(0), Q0_DEADLINE);

            assertThat(step.isRejected()).isFalse();
            assertThat(step.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 0, correctOf(0), QUESTION_MS));
            Reveal reveal = onlyEvent(match.onTimer(Q0_DEADLINE + 1), Reveal.class);
            assertThat(resultOf(reveal, ANN)).isEqualTo(new AnswerResult(ANN.userId(), correctOf(0), true, 500, 1, QUESTION_MS));
        }

        @Test
        void an_answer_stamped_before_the_question_opened_counts_as_instant_never_negative() {
            // A node whose clock is behind the one that opened the question (after a move).
            Match match = atFirstQuestion();

            Step step = match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN - 40);

            assertThat(step.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 0, correctOf(0), 0));
            Reveal reveal = onlyEvent(match.onTimer(Q0_DEADLINE + 1), Reveal.class);
            assertThat(resultOf(reveal, ANN).elapsedMs()).isZero();
        }

        @Test
        void an_answer_one_millisecond_after_the_deadline_is_rejected_even_before_the_timer_has_closed_the_question() {
            Match match = atFirstQuestion();

            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), 0, correctOf(0), Q0_DEADLINE + 1),
                ErrorCode.QUESTION_CLOSED);

            assertThat(match.phase()).isEqualTo(Phase.QUESTION);
            Reveal reveal = onlyEvent(match.onTimer(Q0_DEADLINE + 1), Reveal.class);
            assertThat(resultOf(reveal, ANN)).isEqualTo(new AnswerResult(ANN.userId(), null, false, 0, 0, null));
        }

        @Test
        void the_question_closes_on_the_timer_one_millisecond_after_the_deadline_and_not_before() {
            Match match = atFirstQuestion();
            assertThat(match.nextWakeAt()).isEqualTo(Q0_DEADLINE + 1);

            Step early = match.onTimer(Q0_DEADLINE);
            assertThat(early.events()).isEmpty();
            assertThat(match.phase()).isEqualTo(Phase.QUESTION);

            Step closing = match.onTimer(Q0_DEADLINE + 1);
            Reveal reveal = onlyEvent(closing, Reveal.class);
            assertThat(reveal.index()).isZero();
            assertThat(reveal.correctOption()).isEqualTo(correctOf(0));
            assertThat(reveal.closedAt()).isEqualTo(Q0_DEADLINE + 1);
            assertThat(reveal.nextQuestionAt()).isEqualTo(Q0_DEADLINE + 1 + REVEAL_MS);
            assertThat(match.phase()).isEqualTo(Phase.REVEAL);
        }

        @Test
        void a_late_timer_still_closes_the_question_and_the_reveal_pause_counts_from_when_it_closed() {
            Match match = atFirstQuestion();

            Reveal reveal = onlyEvent(match.onTimer(Q0_DEADLINE + 250), Reveal.class);

            assertThat(reveal.closedAt()).isEqualTo(Q0_DEADLINE + 250);
            assertThat(reveal.nextQuestionAt()).isEqualTo(Q0_DEADLINE + 250 + REVEAL_MS);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_DEADLINE + 250 + REVEAL_MS);
        }
    }

    @Nested
    @DisplayName("answers that are rejected, changing nothing")
    class Rejections {

        @Test
        void a_second_answer_to_the_same_question_is_rejected_and_the_first_one_stands() {
            Match match = atFirstQuestion();
            accepted(match.answer(ANN.userId(), 0, wrongOf(0), Q0_OPEN + 100));

            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 200),
                ErrorCode.ALREADY_ANSWERED);
            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), 0, wrongOf(0), Q0_OPEN + 300),
                ErrorCode.ALREADY_ANSWERED);

            Reveal reveal = onlyEvent(match.onTimer(Q0_DEADLINE + 1), Reveal.class);
            assertThat(resultOf(reveal, ANN)).isEqualTo(new AnswerResult(ANN.userId(), wrongOf(0), false, 0, 0, 100L));
        }

        @Test
        void an_answer_sent_again_after_a_failover_is_acknowledged_again_as_first_judged() {
            Match match = atFirstQuestion();
            accepted(match.answer(ANN.userId(), 0, wrongOf(0), Q0_OPEN + 100));

            Step again = accepted(match.answerAgain(ANN.userId(), 0, wrongOf(0), Q0_OPEN + 900));
            assertThat(again.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 0, wrongOf(0), 100));
            assertThat(again.events()).isEmpty();
            assertRejectedAndNothingChanged(match, () -> match.answerAgain(ANN.userId(), 0, correctOf(0), Q0_OPEN + 950),
                ErrorCode.ALREADY_ANSWERED);
        }

        @Test
        void an_answer_sent_again_after_its_question_closed_is_acknowledged_again_if_it_was_recorded() {
            Match match = atSecondQuestion();

            Step again = accepted(match.answerAgain(CAT.userId(), 0, correctOf(0), Q1_OPEN + 100));
            assertThat(again.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 0, correctOf(0), 1_000));
            assertRejectedAndNothingChanged(match, () -> match.answerAgain(CAT.userId(), 0, wrongOf(0), Q1_OPEN + 200),
                ErrorCode.WRONG_QUESTION);
        }

        @Test
        void an_answer_sent_again_that_was_never_recorded_is_judged_as_new() {
            Match match = atSecondQuestion();

            Step first = accepted(match.answerAgain(ANN.userId(), 1, wrongOf(1), Q1_OPEN + 300));
            assertThat(first.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 1, wrongOf(1), 300));
        }

        @Test
        void an_answer_to_a_question_that_already_closed_is_rejected_as_the_wrong_question() {
            Match match = atSecondQuestion();

            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), 0, correctOf(0), Q1_OPEN + 100),
                ErrorCode.WRONG_QUESTION);

            accepted(match.answer(ANN.userId(), 1, correctOf(1), Q1_OPEN + 200));
        }

        @ParameterizedTest(name = "question {0}")
        @ValueSource(ints = {2, 3, 99, Integer.MAX_VALUE, -1, Integer.MIN_VALUE})
        void an_answer_to_a_question_that_is_not_open_yet_or_does_not_exist_is_rejected_as_the_wrong_question(int index) {
            Match match = atSecondQuestion();

            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), index, 0, Q1_OPEN + 100),
                ErrorCode.WRONG_QUESTION);
        }

        @ParameterizedTest(name = "question {0}")
        @ValueSource(ints = {0, 1, -1})
        void an_answer_during_the_countdown_is_rejected_as_the_wrong_question(int index) {
            Match match = newMatch();
            match.start(T0);

            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), index, 0, Q0_OPEN - 1),
                ErrorCode.WRONG_QUESTION);
        }

        @Test
        void an_answer_during_the_reveal_is_rejected_as_closed() {
            Match match = atFirstQuestion();
            match.onTimer(Q0_DEADLINE + 1);
            assertThat(match.phase()).isEqualTo(Phase.REVEAL);

            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), 0, correctOf(0), Q0_DEADLINE + 2),
                ErrorCode.QUESTION_CLOSED);
            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), 1, correctOf(1), Q0_DEADLINE + 3),
                ErrorCode.WRONG_QUESTION);
        }

        @ParameterizedTest(name = "option {0}")
        @ValueSource(ints = {-1, 4, 5, Integer.MIN_VALUE, Integer.MAX_VALUE})
        void an_option_that_the_question_does_not_have_is_rejected_and_a_valid_answer_is_still_possible(int option) {
            Match match = atFirstQuestion();

            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), 0, option, Q0_OPEN + 100),
                ErrorCode.INVALID_OPTION);

            assertThat(match.answer(ANN.userId(), 0, 3, Q0_OPEN + 200).reply())
                .isEqualTo(new AnswerAccepted(MATCH_ID, 0, 3, 200));
        }

        @Test
        void someone_who_is_not_in_the_match_cannot_answer_attach_or_leave() {
            Match match = atFirstQuestion();

            assertRejectedAndNothingChanged(match, () -> match.answer(STRANGER.userId(), 0, correctOf(0), Q0_OPEN + 1),
                ErrorCode.NOT_IN_MATCH);
            assertRejectedAndNothingChanged(match, () -> match.attach(STRANGER.userId(), "node-1", "x", Q0_OPEN + 1),
                ErrorCode.NOT_IN_MATCH);
            assertRejectedAndNothingChanged(match, () -> match.leave(STRANGER.userId(), Q0_OPEN + 1),
                ErrorCode.NOT_IN_MATCH);
        }

        @Test
        void a_player_who_left_can_no_longer_answer_attach_or_leave_again() {
            Match match = atFirstQuestion();
            accepted(match.leave(CAT.userId(), Q0_OPEN + 1));

            assertRejectedAndNothingChanged(match, () -> match.answer(CAT.userId(), 0, correctOf(0), Q0_OPEN + 2),
                ErrorCode.NOT_IN_MATCH);
            assertRejectedAndNothingChanged(match, () -> match.attach(CAT.userId(), "node-1", "cat-2", Q0_OPEN + 2),
                ErrorCode.NOT_IN_MATCH);
            assertRejectedAndNothingChanged(match, () -> match.leave(CAT.userId(), Q0_OPEN + 2),
                ErrorCode.NOT_IN_MATCH);
        }

        @Test
        void anything_after_the_match_finished_is_rejected_as_finished() {
            Match match = matchWith(settings(1), PLAYERS);
            match.start(T0);
            match.onTimer(Q0_OPEN);
            match.onTimer(Q0_DEADLINE + 1);
            assertThat(match.phase()).isEqualTo(Phase.FINISHED);

            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), 0, correctOf(0), Q0_DEADLINE + 2),
                ErrorCode.MATCH_FINISHED);
            assertRejectedAndNothingChanged(match, () -> match.answer(ANN.userId(), 1, 0, Q0_DEADLINE + 2),
                ErrorCode.MATCH_FINISHED);
            assertRejectedAndNothingChanged(match, () -> match.leave(ANN.userId(), Q0_DEADLINE + 2),
                ErrorCode.MATCH_FINISHED);
            assertRejectedAndNothingChanged(match, () -> match.onTimer(Q0_DEADLINE + 2), ErrorCode.MATCH_FINISHED);
        }

        @Test
        void a_player_back_after_the_finish_is_handed_the_final_ranking_and_nothing_changes() {
            Match match = matchWith(settings(1), PLAYERS);
            match.start(T0);
            match.onTimer(Q0_OPEN);
            Step finish = match.onTimer(Q0_DEADLINE + 1);
            ServerEvent.MatchFinished broadcast = finish.events().stream().map(Outgoing::event)
                .filter(ServerEvent.MatchFinished.class::isInstance).map(ServerEvent.MatchFinished.class::cast)
                .findFirst().orElseThrow();
            Observable before = Observable.of(match);

            Step back = match.attach(ANN.userId(), "node-2", "ann-2", Q0_DEADLINE + 500);

            assertThat(back.isRejected()).isFalse();
            assertThat(back.changed()).as("a read: nothing to replicate").isFalse();
            assertThat(back.events()).isEmpty();
            assertThat(back.reply()).isEqualTo(broadcast);
            assertThat(Observable.of(match)).isEqualTo(before);
        }
    }

    @Nested
    @DisplayName("an operator ending the match")
    class OperatorEnd {
        @Test
        void an_operator_sees_question_0_during_the_countdown_and_after_an_end_before_it_opened() {
            Match match = newMatch();
            accepted(match.start(T0));

            assertThat(match.view("node-1")).extracting(MatchView::phase, MatchView::question).containsExactly("countdown", 0);
            accepted(match.end("closing", T0 + 10));
            assertThat(match.view("node-1")).extracting(MatchView::phase, MatchView::question).containsExactly("finished", 0);
        }

        @Test
        void the_match_finishes_at_once_with_the_reason_and_the_open_question_is_not_revealed() {
            Match match = atFirstQuestion();
            accepted(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 500));

            Step end = match.end("The venue is closing.", Q0_OPEN + 600);

            MatchFinished finished = onlyEvent(end, MatchFinished.class);
            assertThat(finished.endReason()).isEqualTo("The venue is closing.");
            assertThat(finished.finishedAt()).isEqualTo(Q0_OPEN + 600);
            assertThat(finished.ranking()).allSatisfy(standing -> assertThat(standing.score()).isZero());
            assertThat(end.finished().endReason()).isEqualTo("The venue is closing.");
            assertThat(end.finished().questions()).as("no question closed").isEmpty();
            assertThat(match.phase()).isEqualTo(Phase.FINISHED);
            // A player back a moment later gets the same end, reason included.
            assertThat(match.attach(BOB.userId(), "node-1", "bob-2", Q0_OPEN + 700).reply())
                .isEqualTo(new MatchFinished(MATCH_ID, finished.ranking(), Q0_OPEN + 600, "The venue is closing."));
        }

        @Test
        void a_finished_match_cannot_be_ended_again() {
            Match match = atFirstQuestion();
            match.end("first", Q0_OPEN + 1);

            assertRejectedAndNothingChanged(match, () -> match.end("second", Q0_OPEN + 2), ErrorCode.MATCH_FINISHED);
        }
    }

    @Nested
    @DisplayName("closing a question early")
    class EarlyClose {

        @Test
        void the_question_closes_and_is_revealed_in_the_step_of_the_last_answer() {
            Match match = atFirstQuestion();
            accepted(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 100));
            accepted(match.answer(BOB.userId(), 0, correctOf(0), Q0_OPEN + 200));

            Step last = match.answer(CAT.userId(), 0, wrongOf(0), Q0_OPEN + 300);

            assertThat(last.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 0, wrongOf(0), 300));
            Reveal reveal = onlyEvent(last, Reveal.class);
            assertThat(last.events()).singleElement().extracting(Outgoing::recipients).isEqualTo(EVERYONE);
            assertThat(reveal.correctOption()).isEqualTo(correctOf(0));
            assertThat(reveal.nextQuestionAt()).isEqualTo(Q0_OPEN + 300 + REVEAL_MS);
            assertThat(match.phase()).isEqualTo(Phase.REVEAL);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_OPEN + 300 + REVEAL_MS);
        }

        @Test
        void the_question_stays_open_while_one_connected_player_has_not_answered() {
            Match match = atFirstQuestion();
            accepted(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 100));

            Step second = match.answer(BOB.userId(), 0, correctOf(0), Q0_OPEN + 200);

            assertThat(second.events()).isEmpty();
            assertThat(match.phase()).isEqualTo(Phase.QUESTION);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_DEADLINE + 1);
            assertThat(accepted(match.answer(CAT.userId(), 0, correctOf(0), Q0_DEADLINE)).reply()).isNotNull();
        }

        @Test
        void a_player_leaving_mid_question_closes_it_when_everyone_else_has_answered() {
            Match match = atFirstQuestion();
            accepted(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 100));
            accepted(match.answer(BOB.userId(), 0, wrongOf(0), Q0_OPEN + 200));

            Step leaving = match.leave(CAT.userId(), Q0_OPEN + 500);

            assertThat(leaving.isRejected()).isFalse();
            assertThat(leaving.events()).extracting(Outgoing::event).hasExactlyElementsOfTypes(PlayerStatus.class, Reveal.class);
            assertThat(leaving.events()).allSatisfy(out -> assertThat(out.recipients()).isEqualTo(ids(ANN, BOB)));
            assertThat(leaving.events().get(0).event()).isEqualTo(new PlayerStatus(MATCH_ID, CAT.userId(), "left"));
            Reveal reveal = onlyEvent(leaving, Reveal.class);
            assertThat(resultOf(reveal, CAT)).isEqualTo(new AnswerResult(CAT.userId(), null, false, 0, 0, null));
            assertThat(reveal.standings()).extracting(Standing::userId, Standing::status)
                .contains(tuple(CAT.userId(), "left"));
            assertThat(match.phase()).isEqualTo(Phase.REVEAL);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_OPEN + 500 + REVEAL_MS);
        }

        @Test
        void the_last_unanswered_player_disconnecting_closes_the_question_at_once() {
            Match match = atFirstQuestion();
            accepted(match.attach(CAT.userId(), "node-1", "cat-1", Q0_OPEN));
            accepted(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 100));
            accepted(match.answer(BOB.userId(), 0, correctOf(0), Q0_OPEN + 200));

            Step dropping = match.detach(CAT.userId(), "cat-1", Q0_OPEN + 700);

            assertThat(dropping.events()).extracting(Outgoing::event).containsExactly(
                new PlayerStatus(MATCH_ID, CAT.userId(), "disconnected"),
                onlyEvent(dropping, Reveal.class));
            assertThat(dropping.events()).allSatisfy(out -> assertThat(out.recipients()).isEqualTo(ids(ANN, BOB)));
            assertThat(match.phase()).isEqualTo(Phase.REVEAL);
            // CAT keeps the seat while the grace runs.
            assertThat(standingOf(match, CAT).status()).isEqualTo("disconnected");
        }

        @Test
        void the_last_unanswered_player_lost_with_their_node_does_not_close_the_question() {
            // Their node may only be draining: they are moving to another one, and the question waits.
            Match match = atFirstQuestion();
            accepted(match.attach(CAT.userId(), "node-2", "cat-1", Q0_OPEN));
            accepted(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 100));
            accepted(match.answer(BOB.userId(), 0, correctOf(0), Q0_OPEN + 200));

            Step lost = match.markLostNodesAway(node -> !"node-2".equals(node), Q0_OPEN + 700);

            assertThat(lost.events()).extracting(Outgoing::event)
                .containsExactly(new PlayerStatus(MATCH_ID, CAT.userId(), "disconnected"));
            assertThat(match.phase()).isEqualTo(Phase.QUESTION);
            accepted(match.attach(CAT.userId(), "node-3", "cat-2", Q0_OPEN + 900));
            Step last = match.answer(CAT.userId(), 0, correctOf(0), Q0_OPEN + 1_000);
            assertThat(onlyEvent(last, Reveal.class).index()).isZero();
        }

        @Test
        void a_disconnected_player_does_not_hold_the_question_open() {
            Match match = atFirstQuestion();
            accepted(match.detach(CAT.userId(), null, Q0_OPEN + 50));
            accepted(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 100));

            Step last = match.answer(BOB.userId(), 0, correctOf(0), Q0_OPEN + 200);

            Reveal reveal = onlyEvent(last, Reveal.class);
            assertThat(last.events()).singleElement().extracting(Outgoing::recipients).isEqualTo(ids(ANN, BOB));
            assertThat(resultOf(reveal, CAT).option()).isNull();
        }

        @Test
        void the_question_does_not_close_early_when_nobody_is_connected() {
            Match match = atFirstQuestion();
            accepted(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 100));
            match.detach(ANN.userId(), null, Q0_OPEN + 200);
            match.detach(BOB.userId(), null, Q0_OPEN + 200);
            match.detach(CAT.userId(), null, Q0_OPEN + 200);

            assertThat(match.phase()).isEqualTo(Phase.QUESTION);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_DEADLINE + 1);
        }

        @Test
        void when_everyone_leaves_the_match_finishes_with_the_points_they_had() {
            Match match = atSecondQuestion();

            Step annLeaves = match.leave(ANN.userId(), Q1_OPEN + 100);
            assertThat(annLeaves.events()).containsExactly(
                new Outgoing(ids(BOB, CAT), new PlayerStatus(MATCH_ID, ANN.userId(), "left")));
            assertThat(annLeaves.finished()).isNull();
            Step bobLeaves = match.leave(BOB.userId(), Q1_OPEN + 200);
            assertThat(bobLeaves.finished()).isNull();
            assertThat(match.phase()).isEqualTo(Phase.QUESTION);

            Step catLeaves = match.leave(CAT.userId(), Q1_OPEN + 300);

            assertThat(catLeaves.isRejected()).isFalse();
            assertThat(catLeaves.events()).extracting(Outgoing::event)
                .hasExactlyElementsOfTypes(PlayerStatus.class, MatchFinished.class);
            assertThat(catLeaves.events()).allSatisfy(out -> assertThat(out.recipients()).isEmpty());
            assertThat(match.phase()).isEqualTo(Phase.FINISHED);
            assertThat(match.nextWakeAt()).isEqualTo(Long.MAX_VALUE);
            MatchResult result = catLeaves.finished();
            assertThat(result).isNotNull().isEqualTo(match.result());
            assertThat(result.finishedAt()).isEqualTo(Q1_OPEN + 300);
            assertThat(result.players()).containsExactly(
                new PlayerResult(CAT.userId(), "cat", 1, CAT_Q0_POINTS, 1, 1, 1, true),
                new PlayerResult(ANN.userId(), "ann", 2, 0, 0, 1, 0, true),
                new PlayerResult(BOB.userId(), "bob", 2, 0, 0, 1, 0, true));
            // The open question never closed, so only the first one is on record.
            assertThat(result.questions()).extracting(QuestionResult::index).containsExactly(0);
        }

        @Test
        void when_every_disconnected_player_runs_out_of_grace_the_match_finishes() {
            Match match = atFirstQuestion();
            match.detach(ANN.userId(), null, Q0_OPEN + 100);
            match.detach(BOB.userId(), null, Q0_OPEN + 200);
            match.detach(CAT.userId(), null, Q0_OPEN + 300);

            // Deadline first: the question closes with nobody to tell.
            Step closing = match.onTimer(match.nextWakeAt());
            assertThat(closing.events()).extracting(Outgoing::recipients).containsOnly(List.of());
            // Bounded, so that a grace that never expires fails the test instead of hanging it.
            for (int wakes = 0; wakes < 20 && match.phase() != Phase.FINISHED
                && match.nextWakeAt() <= Q0_OPEN + 300 + GRACE_MS; wakes++) {
                match.onTimer(match.nextWakeAt());
            }

            assertThat(match.phase()).isEqualTo(Phase.FINISHED);
            assertThat(match.result().players()).allSatisfy(p -> assertThat(p.left()).isTrue());
            assertThat(match.result().finishedAt()).isEqualTo(Q0_OPEN + 300 + GRACE_MS);
        }
    }

    @Nested
    @DisplayName("disconnecting and reconnecting")
    class Reconnect {

        @Test
        void the_others_are_told_when_a_player_drops_and_the_seat_is_kept() {
            Match match = atSecondQuestion();
            accepted(match.attach(CAT.userId(), "node-1", "cat-1", Q1_OPEN));

            Step dropping = match.detach(CAT.userId(), "cat-1", Q1_OPEN + 1_000);

            assertThat(dropping.isRejected()).isFalse();
            assertThat(dropping.events()).containsExactly(
                new Outgoing(ids(ANN, BOB), new PlayerStatus(MATCH_ID, CAT.userId(), "disconnected")));
            assertThat(standingOf(match, CAT)).isEqualTo(standing(1, CAT, CAT_Q0_POINTS, 1, 1, "disconnected"));
            assertThat(match.nodeOf(CAT.userId())).isNull();
            assertThat(match.phase()).isEqualTo(Phase.QUESTION);
        }

        @Test
        void a_player_back_within_the_grace_gets_the_open_question_with_the_time_really_left_their_answer_and_score() {
            Match match = atSecondQuestion();
            accepted(match.attach(CAT.userId(), "node-1", "cat-1", Q1_OPEN));
            accepted(match.answer(CAT.userId(), 1, correctOf(1), Q1_OPEN + 500));
            accepted(match.detach(CAT.userId(), "cat-1", Q1_OPEN + 1_000));

            long back = Q1_OPEN + 4_321;
            Step attach = match.attach(CAT.userId(), "node-2", "cat-2", back);

            assertThat(attach.isRejected()).isFalse();
            assertThat(attach.events()).containsExactly(
                new Outgoing(ids(ANN, BOB), new PlayerStatus(MATCH_ID, CAT.userId(), "connected")));
            assertThat(attach.reply()).isEqualTo(new MatchState(MATCH_ID, "question", 3, PLAYERS,
                List.of(
                    standing(1, CAT, CAT_Q0_POINTS, 1, 1, "connected"),
                    standing(2, ANN, 0, 0, 0, "connected"),
                    standing(2, BOB, 0, 0, 0, "connected")),
                questionEvent(1, Q1_OPEN, back), correctOf(1), Q1_DEADLINE - back, null, back));
            assertThat(((MatchState) attach.reply()).remainingMs()).isEqualTo(5_679);
            assertThat(match.nodeOf(CAT.userId())).isEqualTo("node-2");

            // Back in play: CAT's earlier answer still stands and the others' answers now close the question.
            assertRejectedAndNothingChanged(match, () -> match.answer(CAT.userId(), 1, 0, back + 1), ErrorCode.ALREADY_ANSWERED);
            accepted(match.answer(ANN.userId(), 1, wrongOf(1), back + 2));
            Step last = match.answer(BOB.userId(), 1, wrongOf(1), back + 3);
            Reveal reveal = onlyEvent(last, Reveal.class);
            assertThat(last.events()).singleElement().extracting(Outgoing::recipients).isEqualTo(EVERYONE);
            assertThat(resultOf(reveal, CAT)).isEqualTo(new AnswerResult(CAT.userId(), correctOf(1), true, 1_075, 2, 500L));
        }

        @Test
        void a_player_back_before_answering_sees_no_answer_and_can_still_answer() {
            Match match = atSecondQuestion();
            accepted(match.detach(CAT.userId(), null, Q1_OPEN + 1_000));

            MatchState state = (MatchState) accepted(match.attach(CAT.userId(), "node-2", "cat-2", Q1_OPEN + 2_000)).reply();

            assertThat(state.yourAnswer()).isNull();
            assertThat(state.remainingMs()).isEqualTo(QUESTION_MS - 2_000);
            assertThat(accepted(match.answer(CAT.userId(), 1, correctOf(1), Q1_OPEN + 2_500)).reply())
                .isEqualTo(new AnswerAccepted(MATCH_ID, 1, correctOf(1), 2_500));
        }

        @Test
        void a_player_back_during_the_reveal_gets_the_reveal_and_the_time_to_the_next_question() {
            Match match = atFirstQuestion();
            accepted(match.detach(CAT.userId(), null, Q0_OPEN + 100));
            Step closing = match.onTimer(Q0_DEADLINE + 1);
            Reveal reveal = onlyEvent(closing, Reveal.class);
            assertThat(closing.events()).singleElement().extracting(Outgoing::recipients).isEqualTo(ids(ANN, BOB));

            MatchState state = (MatchState) accepted(match.attach(CAT.userId(), "node-1", "cat-2", Q0_DEADLINE + 501)).reply();

            assertThat(state.phase()).isEqualTo("reveal");
            assertThat(state.lastReveal()).isEqualTo(reveal);
            assertThat(state.question()).isNull();
            assertThat(state.yourAnswer()).isNull();
            assertThat(state.remainingMs()).isEqualTo(REVEAL_MS - 500);
        }

        @Test
        void once_the_next_question_opens_the_reveal_is_neither_sent_to_a_player_back_nor_kept() {
            Match match = atSecondQuestion();
            accepted(match.detach(CAT.userId(), null, Q1_OPEN + 1_000));

            MatchState state = (MatchState) accepted(match.attach(CAT.userId(), "node-2", "cat-2", Q1_OPEN + 2_000)).reply();

            assertThat(state.phase()).isEqualTo("question");
            assertThat(state.lastReveal()).isNull();
            assertThat(match.snapshot().lastReveal()).as("nor does the replicated record carry it").isNull();
        }

        @Test
        void a_player_back_during_the_countdown_gets_the_time_to_the_first_question() {
            Match match = newMatch();
            match.start(T0);
            accepted(match.detach(CAT.userId(), null, T0 + 100));

            MatchState state = (MatchState) accepted(match.attach(CAT.userId(), "node-1", "cat-2", T0 + 1_000)).reply();

            assertThat(state.phase()).isEqualTo("countdown");
            assertThat(state.remainingMs()).isEqualTo(COUNTDOWN_MS - 1_000);
            assertThat(state.question()).isNull();
        }

        @Test
        void a_player_who_stays_away_past_the_grace_is_marked_left_and_cannot_come_back() {
            Match match = atSecondQuestion(5_000);
            accepted(match.detach(CAT.userId(), null, Q1_OPEN + 1_000));
            long graceUntil = Q1_OPEN + 1_000 + 5_000;
            assertThat(match.nextWakeAt()).isEqualTo(graceUntil);

            assertThat(match.onTimer(graceUntil - 1).events()).isEmpty();
            assertThat(standingOf(match, CAT).status()).isEqualTo("disconnected");

            Step expiry = match.onTimer(graceUntil);

            assertThat(expiry.events()).containsExactly(
                new Outgoing(ids(ANN, BOB), new PlayerStatus(MATCH_ID, CAT.userId(), "left")));
            assertThat(standingOf(match, CAT)).isEqualTo(standing(1, CAT, CAT_Q0_POINTS, 1, 1, "left"));
            assertThat(match.nextWakeAt()).isEqualTo(Q1_DEADLINE + 1);
            assertRejectedAndNothingChanged(match, () -> match.attach(CAT.userId(), "node-1", "cat-2", graceUntil + 1),
                ErrorCode.NOT_IN_MATCH);
            assertRejectedAndNothingChanged(match, () -> match.answer(CAT.userId(), 1, correctOf(1), graceUntil + 1),
                ErrorCode.NOT_IN_MATCH);
        }

        @Test
        void coming_back_one_millisecond_before_the_grace_ends_keeps_the_seat() {
            Match match = atSecondQuestion(5_000);
            accepted(match.detach(CAT.userId(), null, Q1_OPEN + 1_000));
            long graceUntil = Q1_OPEN + 6_000;

            accepted(match.attach(CAT.userId(), "node-1", "cat-2", graceUntil - 1));

            assertThat(match.onTimer(graceUntil).events()).isEmpty();
            assertThat(standingOf(match, CAT).status()).isEqualTo("connected");
            assertThat(match.nextWakeAt()).isEqualTo(Q1_DEADLINE + 1);
        }

        @Test
        void the_close_of_an_old_socket_is_ignored_once_a_newer_one_has_attached() {
            Match match = atFirstQuestion();
            accepted(match.attach(CAT.userId(), "node-1", "cat-1", Q0_OPEN + 10));
            Step newer = match.attach(CAT.userId(), "node-2", "cat-2", Q0_OPEN + 20);
            assertThat(newer.events()).as("CAT never looked away to the others").isEmpty();

            Step staleClose = match.detach(CAT.userId(), "cat-1", Q0_OPEN + 30);

            assertThat(staleClose.isRejected()).isFalse();
            assertThat(staleClose.events()).isEmpty();
            assertThat(standingOf(match, CAT).status()).isEqualTo("connected");
            assertThat(match.nodeOf(CAT.userId())).isEqualTo("node-2");
            assertThat(match.nextWakeAt()).isEqualTo(Q0_DEADLINE + 1);
            // CAT still counts as connected: the question waits for their answer and the reveal reaches them.
            accepted(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 40));
            assertThat(match.answer(BOB.userId(), 0, correctOf(0), Q0_OPEN + 50).events()).isEmpty();
            assertThat(match.onTimer(Q0_DEADLINE + 1).events()).singleElement()
                .extracting(Outgoing::recipients).isEqualTo(EVERYONE);

            Step currentClose = match.detach(CAT.userId(), "cat-2", Q0_DEADLINE + 2);
            assertThat(currentClose.events()).containsExactly(
                new Outgoing(ids(ANN, BOB), new PlayerStatus(MATCH_ID, CAT.userId(), "disconnected")));
        }

        @Test
        void events_go_only_to_players_who_are_connected_and_still_in_the_match() {
            Match match = atFirstQuestion();
            accepted(match.leave(ANN.userId(), Q0_OPEN + 10));
            accepted(match.detach(BOB.userId(), null, Q0_OPEN + 20));

            Step closing = match.onTimer(Q0_DEADLINE + 1);
            assertThat(closing.events()).singleElement().extracting(Outgoing::recipients).isEqualTo(ids(CAT));

            accepted(match.attach(BOB.userId(), "node-3", "bob-2", Q0_DEADLINE + 100));
            Step opening = match.onTimer(match.nextWakeAt());
            assertThat(opening.events()).singleElement().extracting(Outgoing::recipients).isEqualTo(ids(BOB, CAT));
        }

        @Test
        void with_no_grace_a_dropped_player_leaves_at_once() {
            Match match = matchWith(new MatchSettings(3, QUESTION_MS, COUNTDOWN_MS, REVEAL_MS, 0), PLAYERS);
            match.start(T0);
            match.onTimer(Q0_OPEN);

            Step dropping = match.detach(CAT.userId(), null, Q0_OPEN + 100);

            assertThat(dropping.events()).extracting(Outgoing::event).containsExactly(
                new PlayerStatus(MATCH_ID, CAT.userId(), "disconnected"),
                new PlayerStatus(MATCH_ID, CAT.userId(), "left"));
            assertThat(standingOf(match, CAT).status()).isEqualTo("left");
            assertThat(match.attach(CAT.userId(), "node-1", "cat-2", Q0_OPEN + 101).rejection())
                .isEqualTo(ErrorCode.NOT_IN_MATCH);
        }

        @Test
        void a_player_whose_socket_is_away_when_the_match_forms_gets_the_grace_to_join() {
            MatchSettings settings = settings();
            Map<UUID, String> nodes = Map.of(ANN.userId(), "node-1", BOB.userId(), "node-1");
            Match match = Match.create(new MatchSpec(MATCH_ID, MatchKind.QUICK, "science", PLAYERS,
                questions(3), settings, nodes));

            Step starting = match.start(T0);

            assertThat(starting.events()).singleElement().extracting(Outgoing::recipients).isEqualTo(ids(ANN, BOB));
            assertThat(standingOf(match, CAT).status()).isEqualTo("disconnected");
            assertThat(match.nextWakeAt()).isEqualTo(Q0_OPEN);
            assertThat(match.onTimer(Q0_OPEN).events()).singleElement()
                .extracting(Outgoing::recipients).isEqualTo(ids(ANN, BOB));
            assertThat(standingOf(match, CAT).status()).isEqualTo("disconnected");

            Step joining = match.attach(CAT.userId(), "node-2", "cat-1", Q0_OPEN + 1_000);
            assertThat(joining.isRejected()).isFalse();
            assertThat(((MatchState) joining.reply()).question()).isEqualTo(questionEvent(0, Q0_OPEN, Q0_OPEN + 1_000));
        }

        @Test
        void a_player_whose_socket_is_away_when_the_match_forms_leaves_when_that_grace_runs_out() {
            MatchSettings settings = new MatchSettings(3, QUESTION_MS, COUNTDOWN_MS, REVEAL_MS, 2_000);
            Map<UUID, String> nodes = Map.of(ANN.userId(), "node-1", BOB.userId(), "node-1");
            Match match = Match.create(new MatchSpec(MATCH_ID, MatchKind.QUICK, "science", PLAYERS,
                questions(3), settings, nodes));
            match.start(T0);
            assertThat(match.nextWakeAt()).isEqualTo(T0 + 2_000);

            assertThat(match.onTimer(T0 + 1_999).events()).isEmpty();
            Step expiry = match.onTimer(T0 + 2_000);

            assertThat(expiry.events()).containsExactly(
                new Outgoing(ids(ANN, BOB), new PlayerStatus(MATCH_ID, CAT.userId(), "left")));
            assertThat(match.attach(CAT.userId(), "node-2", "cat-1", T0 + 2_001).rejection())
                .isEqualTo(ErrorCode.NOT_IN_MATCH);
        }
    }

    @Nested
    @DisplayName("standings")
    class Standings {

        @Test
        void equal_scores_share_a_rank_and_the_next_rank_is_skipped() {
            Match match = matchWith(settings(1), PLAYERS);
            match.start(T0);
            match.onTimer(Q0_OPEN);
            accepted(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 2_000));
            accepted(match.answer(BOB.userId(), 0, correctOf(0), Q0_OPEN + 2_000));

            Step last = match.answer(CAT.userId(), 0, correctOf(0), Q0_DEADLINE);

            List<Standing> expected = List.of(
                standing(1, ANN, 900, 1, 1, "connected"),
                standing(1, BOB, 900, 1, 1, "connected"),
                standing(3, CAT, 500, 1, 1, "connected"));
            assertThat(onlyEvent(last, Reveal.class).standings()).isEqualTo(expected);
            assertThat(onlyEvent(last, MatchFinished.class).ranking()).isEqualTo(expected);
            assertThat(last.finished().players()).extracting(PlayerResult::rank, PlayerResult::score)
                .containsExactly(
                    tuple(1, 900),
                    tuple(1, 900),
                    tuple(3, 500));
        }

        @Test
        void a_tie_below_the_leader_shares_second_place() {
            Match match = matchWith(settings(1), PLAYERS);
            match.start(T0);
            match.onTimer(Q0_OPEN);
            accepted(match.answer(ANN.userId(), 0, wrongOf(0), Q0_OPEN + 1));
            accepted(match.answer(BOB.userId(), 0, correctOf(0), Q0_OPEN + 2_000));
            accepted(match.answer(CAT.userId(), 0, wrongOf(0), Q0_OPEN + 3));

            assertThat(match.standings()).extracting(Standing::rank, Standing::username, Standing::score).containsExactly(
                tuple(1, "bob", 900),
                tuple(2, "ann", 0),
                tuple(2, "cat", 0));
        }

        @Test
        void before_anyone_scores_everyone_is_first() {
            Match match = newMatch();
            match.start(T0);

            assertThat(match.standings()).extracting(Standing::rank).containsExactly(1, 1, 1);
        }

        @Test
        void a_correct_answer_is_not_visible_in_the_standings_or_a_snapshot_until_the_reveal() {
            Match match = atSecondQuestion();
            List<Standing> before = match.standings();

            Step answered = match.answer(ANN.userId(), 1, correctOf(1), Q1_OPEN);

            assertThat(answered.reply()).isEqualTo(new AnswerAccepted(MATCH_ID, 1, correctOf(1), 0));
            assertThat(match.standings()).isEqualTo(before);
            assertThat(standingOf(match, ANN)).isEqualTo(standing(2, ANN, 0, 0, 0, "connected"));
            MatchState snapshot = (MatchState) accepted(match.attach(BOB.userId(), "node-2", "bob-2", Q1_OPEN + 10)).reply();
            assertThat(snapshot.standings()).isEqualTo(before);
            MatchState own = (MatchState) accepted(match.attach(ANN.userId(), "node-2", "ann-2", Q1_OPEN + 20)).reply();
            assertThat(own.standings()).isEqualTo(before);
            assertThat(own.yourAnswer()).isEqualTo(correctOf(1));

            Reveal reveal = onlyEvent(match.onTimer(Q1_DEADLINE + 1), Reveal.class);
            assertThat(reveal.standings()).first().isEqualTo(standing(1, ANN, 1_000, 1, 1, "connected"));
            assertThat(standingOf(match, ANN).score()).isEqualTo(1_000);
        }
    }

    @Nested
    @DisplayName("streaks")
    class Streaks {

        @Test
        void the_bonus_grows_with_each_correct_answer_in_a_row_caps_at_five_steps_and_resets_after_a_miss() {
            // One player, no pauses: every answer closes its question and opens the next in the same step.
            Match match = matchWith(new MatchSettings(12, QUESTION_MS, 0, 0, GRACE_MS), List.of(ANN));
            Question open = onlyEvent(match.start(T0), Question.class);
            String plan = "ccccccc" + "w" + "cc" + "-" + "c";
            List<Integer> points = new ArrayList<>();
            List<Integer> streaks = new ArrayList<>();
            Step step = null;
            for (int index = 0; index < plan.length(); index++) {
                assertThat(open.index()).isEqualTo(index);
                step = switch (plan.charAt(index)) {
                    case 'c' -> match.answer(ANN.userId(), index, correctOf(index), open.openedAt());
                    case 'w' -> match.answer(ANN.userId(), index, wrongOf(index), open.openedAt());
                    default -> match.onTimer(open.deadline() + 1);
                };
                AnswerResult result = resultOf(onlyEvent(step, Reveal.class), ANN);
                points.add(result.points());
                streaks.add(result.streak());
                if (index + 1 < plan.length()) {
                    open = onlyEvent(step, Question.class);
                }
            }

            assertThat(points).containsExactly(1_000, 1_100, 1_200, 1_300, 1_400, 1_500, 1_500, 0, 1_000, 1_100, 0, 1_000);
            assertThat(streaks).containsExactly(1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 0, 1);
            assertThat(step.finished().players()).containsExactly(
                new PlayerResult(ANN.userId(), "ann", 1, 12_100, 10, 11, 7, false));
        }
    }

    @Nested
    @DisplayName("secrecy of the correct option")
    class Secrecy {

        @Test
        void nothing_sent_while_a_question_is_open_tells_the_answer_or_the_points_it_earned() {
            Match match = newMatch();
            List<ServerEvent> sent = new ArrayList<>();
            Consumer<Step> record = step -> {
                assertThat(step.isRejected()).as("setup step rejected: %s", step.rejectionReason()).isFalse();
                step.events().forEach(out -> sent.add(out.event()));
                if (step.reply() != null) {
                    sent.add(step.reply());
                }
            };

            record.accept(match.start(T0));
            record.accept(match.onTimer(Q0_OPEN));
            record.accept(match.answer(ANN.userId(), 0, correctOf(0), Q0_OPEN + 500));
            record.accept(match.attach(CAT.userId(), "node-1", "cat-1", Q0_OPEN + 600));
            record.accept(match.detach(CAT.userId(), "cat-1", Q0_OPEN + 700));
            record.accept(match.attach(CAT.userId(), "node-2", "cat-2", Q0_OPEN + 800));
            record.accept(match.answer(BOB.userId(), 0, correctOf(0), Q0_OPEN + 900));
            record.accept(match.answer(CAT.userId(), 0, wrongOf(0), Q0_OPEN + 1_000));
            record.accept(match.attach(BOB.userId(), "node-1", "bob-2", Q0_OPEN + 1_500));
            record.accept(match.onTimer(match.nextWakeAt()));
            long q1Open = match.nextWakeAt() - QUESTION_MS - 1;
            record.accept(match.answer(ANN.userId(), 1, correctOf(1), q1Open + 100));
            record.accept(match.attach(ANN.userId(), "node-3", "ann-2", q1Open + 200));
            record.accept(match.attach(BOB.userId(), "node-3", "bob-3", q1Open + 300));
            record.accept(match.onTimer(match.nextWakeAt()));
            record.accept(match.onTimer(match.nextWakeAt()));
            long q2Open = match.nextWakeAt() - QUESTION_MS - 1;
            record.accept(match.answer(ANN.userId(), 2, correctOf(2), q2Open + 100));
            record.accept(match.answer(BOB.userId(), 2, correctOf(2), q2Open + 200));
            record.accept(match.attach(CAT.userId(), "node-1", "cat-3", q2Open + 300));
            record.accept(match.leave(CAT.userId(), q2Open + 400));
            assertThat(match.phase()).isEqualTo(Phase.FINISHED);

            assertThat(sent).filteredOn(Reveal.class::isInstance).hasSize(3);
            assertNothingGivesAnswersAway(sent);
        }

        @Test
        void the_question_event_and_the_acceptance_carry_no_correctness_at_all() {
            assertThat(componentNames(Question.class)).noneMatch(name -> name.toLowerCase().contains("correct"));
            assertThat(componentNames(AnswerAccepted.class)).noneMatch(name -> name.toLowerCase().contains("correct"));
        }

        /**
         * Replays what players were sent, in order. From a question's opening to its reveal, no event may
         * hold a reveal, a per-player result, a question spec, anything named "correct…" other than the
         * standings' count of earlier correct answers, or standings that differ from the last reveal's.
         */
        private void assertNothingGivesAnswersAway(List<ServerEvent> sent) {
            Map<UUID, Standing> revealed = new HashMap<>();
            Integer openIndex = null;
            for (ServerEvent event : sent) {
                if (event instanceof Question question) {
                    openIndex = question.index();
                } else if (event instanceof Reveal reveal) {
                    assertThat(reveal.index()).isEqualTo(openIndex);
                    openIndex = null;
                    reveal.standings().forEach(s -> revealed.put(s.userId(), s));
                    continue;
                }
                if (openIndex == null) {
                    continue;
                }
                int index = openIndex;
                walk(event, value -> {
                    String where = "question " + index + " open, in " + event;
                    assertThat(value).as(where).isNotInstanceOfAny(Reveal.class, AnswerResult.class, QuestionSpec.class);
                    if (value instanceof Standing standing) {
                        Standing last = revealed.get(standing.userId());
                        assertThat(standing.score()).as(where).isEqualTo(last == null ? 0 : last.score());
                        assertThat(standing.correctAnswers()).as(where).isEqualTo(last == null ? 0 : last.correctAnswers());
                        assertThat(standing.streak()).as(where).isEqualTo(last == null ? 0 : last.streak());
                    } else if (value instanceof Record) {
                        assertThat(componentNames(value.getClass())).as(where)
                            .noneMatch(name -> name.toLowerCase().contains("correct"));
                    }
                });
            }
        }
    }

    @Nested
    @DisplayName("the answer count on a lobby's host screen")
    class HostCount {

        @Test
        void the_host_alone_is_told_zero_when_a_question_opens_then_the_count_after_each_answer_before_the_reveal() {
            Match match = lobbyMatch();
            accepted(match.start(T0));

            Step opened = accepted(match.onTimer(Q0_OPEN));
            assertThat(opened.events()).containsExactly(toEveryone(questionEvent(0, Q0_OPEN, Q0_OPEN)),
                toHost(new AnswerCount(MATCH_ID, 0, 0, 3)));
            assertThat(accepted(match.answer(BOB.userId(), 0, 1, Q0_OPEN + 100)).events())
                .containsExactly(toHost(new AnswerCount(MATCH_ID, 0, 1, 3)));
            assertThat(accepted(match.answer(ANN.userId(), 0, 2, Q0_OPEN + 200)).events())
                .containsExactly(toHost(new AnswerCount(MATCH_ID, 0, 2, 3)));
            Step last = accepted(match.answer(CAT.userId(), 0, 3, Q0_OPEN + 300));
            assertThat(last.events()).extracting(Outgoing::event).hasExactlyElementsOfTypes(AnswerCount.class, Reveal.class);
            assertThat(last.events().get(0)).isEqualTo(toHost(new AnswerCount(MATCH_ID, 0, 3, 3)));
        }

        @Test
        void a_quick_match_never_sends_a_count() {
            Match match = newMatch();
            List<Step> steps = new ArrayList<>();
            steps.add(match.start(T0));
            steps.add(match.onTimer(Q0_OPEN));
            steps.add(match.answer(ANN.userId(), 0, 1, Q0_OPEN + 100));
            steps.add(match.detach(BOB.userId(), "b", Q0_OPEN + 200));
            steps.add(match.attach(BOB.userId(), "node-1", "b2", Q0_OPEN + 300));
            steps.add(match.leave(CAT.userId(), Q0_OPEN + 400));
            steps.add(match.answer(BOB.userId(), 0, 1, Q0_OPEN + 500));
            assertThat(steps).flatExtracting(Step::events).extracting(Outgoing::event)
                .isNotEmpty().noneMatch(AnswerCount.class::isInstance);
            assertThat(match.statesForConnected(Q0_OPEN + 600)).extracting(Outgoing::event)
                .noneMatch(AnswerCount.class::isInstance);
        }

        @Test
        void a_player_who_leaves_mid_question_counts_neither_as_answered_nor_as_able_to_answer() {
            Match match = lobbyMatch(1_000);
            accepted(match.start(T0));
            accepted(match.onTimer(Q0_OPEN));
            accepted(match.answer(CAT.userId(), 0, 1, Q0_OPEN + 100));

            assertThat(onlyEvent(accepted(match.leave(CAT.userId(), Q0_OPEN + 200)), AnswerCount.class))
                .isEqualTo(new AnswerCount(MATCH_ID, 0, 0, 2));
            // Away is not gone: Bob may still come back and answer, so nothing changes for the count.
            assertThat(accepted(match.detach(BOB.userId(), "b", Q0_OPEN + 300)).events()).extracting(Outgoing::event)
                .noneMatch(AnswerCount.class::isInstance);
            assertThat(onlyEvent(accepted(match.onTimer(Q0_OPEN + 1_300)), AnswerCount.class))
                .as("Bob's grace ran out during the question").isEqualTo(new AnswerCount(MATCH_ID, 0, 0, 1));
        }

        @Test
        void the_host_coming_back_during_a_question_or_after_a_move_is_told_the_count_and_while_away_hears_nothing() {
            Match match = lobbyMatch();
            accepted(match.start(T0));
            accepted(match.onTimer(Q0_OPEN));
            accepted(match.detach(ANN.userId(), "a", Q0_OPEN + 100));

            assertThat(accepted(match.answer(BOB.userId(), 0, 1, Q0_OPEN + 200)).events()).isEmpty();
            Step back = accepted(match.attach(ANN.userId(), "node-2", "a2", Q0_OPEN + 300));
            assertThat(back.reply()).isInstanceOf(MatchState.class);
            assertThat(onlyEvent(back, AnswerCount.class)).isEqualTo(new AnswerCount(MATCH_ID, 0, 1, 3));
            assertThat(match.statesForConnected(Q0_OPEN + 400)).contains(toHost(new AnswerCount(MATCH_ID, 0, 1, 3)));
            assertThat(accepted(match.attach(BOB.userId(), "node-2", "b2", Q0_OPEN + 500)).events())
                .as("a player who is not the host gets no count").isEmpty();
        }

        @Test
        void only_a_lobby_match_has_a_host_and_it_is_one_of_its_players() {
            Map<UUID, String> nodes = Map.of();
            assertThatThrownBy(() -> new MatchSpec(MATCH_ID, MatchKind.QUICK, null, PLAYERS, questions(3), settings(), nodes,
                ANN.userId())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new MatchSpec(MATCH_ID, MatchKind.LOBBY, null, PLAYERS, questions(3), settings(), nodes,
                STRANGER.userId())).isInstanceOf(IllegalArgumentException.class);
        }

        /** A lobby match of ANN (the host), BOB and CAT. */
        private Match lobbyMatch() {
            return lobbyMatch(GRACE_MS);
        }

        private Match lobbyMatch(long graceMillis) {
            Map<UUID, String> nodes = new LinkedHashMap<>();
            PLAYERS.forEach(p -> nodes.put(p.userId(), "node-1"));
            return Match.create(new MatchSpec(MATCH_ID, MatchKind.LOBBY, "science", PLAYERS, questions(3),
                new MatchSettings(3, QUESTION_MS, COUNTDOWN_MS, REVEAL_MS, graceMillis), nodes, ANN.userId()));
        }

        private Outgoing toHost(ServerEvent event) {
            return new Outgoing(List.of(ANN.userId()), event);
        }
    }

    @Nested
    @DisplayName("when to wake the match")
    class Timing {

        @Test
        void the_wake_time_follows_the_countdown_the_deadline_and_the_reveal_pause() {
            Match match = newMatch();
            match.start(T0);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_OPEN);

            assertThat(match.onTimer(Q0_OPEN - 1).events()).isEmpty();
            assertThat(match.phase()).isEqualTo(Phase.COUNTDOWN);

            Question q0 = onlyEvent(match.onTimer(Q0_OPEN), Question.class);
            assertThat(q0.openedAt()).isEqualTo(Q0_OPEN);
            assertThat(q0.deadline()).isEqualTo(Q0_OPEN + QUESTION_MS);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_DEADLINE + 1);

            match.onTimer(Q0_DEADLINE + 1);
            long q1Open = Q0_DEADLINE + 1 + REVEAL_MS;
            assertThat(match.nextWakeAt()).isEqualTo(q1Open);
            assertThat(match.onTimer(q1Open - 1).events()).isEmpty();
            assertThat(match.phase()).isEqualTo(Phase.REVEAL);

            Question q1 = onlyEvent(match.onTimer(q1Open), Question.class);
            assertThat(q1.deadline()).isEqualTo(q1Open + QUESTION_MS);
            assertThat(match.nextWakeAt()).isEqualTo(q1Open + QUESTION_MS + 1);

            match.onTimer(match.nextWakeAt());
            match.onTimer(match.nextWakeAt());
            match.onTimer(match.nextWakeAt());
            assertThat(match.phase()).isEqualTo(Phase.FINISHED);
            assertThat(match.nextWakeAt()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void a_grace_that_ends_before_the_next_phase_change_is_the_next_wake_in_every_phase() {
            long grace = 1_000;
            Match match = matchWith(new MatchSettings(2, QUESTION_MS, COUNTDOWN_MS, REVEAL_MS, grace), PLAYERS);
            match.start(T0);

            match.detach(CAT.userId(), null, T0 + 100);
            assertThat(match.nextWakeAt()).as("countdown").isEqualTo(T0 + 100 + grace);
            match.onTimer(T0 + 100 + grace);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_OPEN);

            match.onTimer(Q0_OPEN);
            match.detach(BOB.userId(), null, Q0_OPEN + 200);
            assertThat(match.nextWakeAt()).as("question").isEqualTo(Q0_OPEN + 200 + grace);
            match.onTimer(Q0_OPEN + 200 + grace);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_DEADLINE + 1);

            match.onTimer(Q0_DEADLINE + 1);
            match.detach(ANN.userId(), null, Q0_DEADLINE + 2);
            assertThat(match.nextWakeAt()).as("reveal").isEqualTo(Q0_DEADLINE + 2 + grace);
        }

        @Test
        void a_grace_that_ends_after_the_next_phase_change_does_not_move_the_wake() {
            Match match = atFirstQuestion();

            match.detach(CAT.userId(), null, Q0_OPEN + 100);

            assertThat(match.nextWakeAt()).isEqualTo(Q0_DEADLINE + 1);
            match.onTimer(Q0_DEADLINE + 1);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_DEADLINE + 1 + REVEAL_MS);
        }

        @Test
        void with_no_countdown_the_first_question_opens_in_the_starting_step() {
            Match match = matchWith(new MatchSettings(3, QUESTION_MS, 0, REVEAL_MS, GRACE_MS), PLAYERS);

            Step starting = match.start(T0);

            assertThat(starting.events()).containsExactly(
                toEveryone(new MatchStarting(MATCH_ID, "quick", "science", PLAYERS, 3, QUESTION_MS, T0, T0)),
                toEveryone(questionEvent(0, T0, T0)));
            assertThat(match.phase()).isEqualTo(Phase.QUESTION);
            assertThat(match.nextWakeAt()).isEqualTo(T0 + QUESTION_MS + 1);
            assertThat(match.answer(ANN.userId(), 0, correctOf(0), T0).reply())
                .isEqualTo(new AnswerAccepted(MATCH_ID, 0, correctOf(0), 0));
        }

        @Test
        void with_no_reveal_pause_the_next_question_opens_in_the_step_that_revealed_the_last_one() {
            Match match = matchWith(new MatchSettings(2, QUESTION_MS, COUNTDOWN_MS, 0, GRACE_MS), PLAYERS);
            match.start(T0);
            match.onTimer(Q0_OPEN);

            Step closing = match.onTimer(Q0_DEADLINE + 1);

            assertThat(closing.events()).extracting(Outgoing::event)
                .hasExactlyElementsOfTypes(Reveal.class, Question.class);
            assertThat(onlyEvent(closing, Reveal.class).nextQuestionAt()).isEqualTo(Q0_DEADLINE + 1);
            assertThat(onlyEvent(closing, Question.class)).isEqualTo(questionEvent(1, 2, Q0_DEADLINE + 1, Q0_DEADLINE + 1));
            assertThat(match.phase()).isEqualTo(Phase.QUESTION);
            assertThat(match.nextWakeAt()).isEqualTo(Q0_DEADLINE + 1 + QUESTION_MS + 1);

            accepted(match.answer(ANN.userId(), 1, correctOf(1), Q0_DEADLINE + 5));
            accepted(match.answer(BOB.userId(), 1, correctOf(1), Q0_DEADLINE + 6));
            Step last = match.answer(CAT.userId(), 1, correctOf(1), Q0_DEADLINE + 7);
            assertThat(last.events()).extracting(Outgoing::event)
                .hasExactlyElementsOfTypes(Reveal.class, MatchFinished.class);
            assertThat(onlyEvent(last, Reveal.class).nextQuestionAt()).isNull();
            assertThat(last.finished()).isNotNull();
            assertThat(match.snapshot().lastReveal()).as("sent, and not kept through the linger").isNull();
        }
    }

    @Nested
    @DisplayName("settings validation")
    class SettingsValidation {

        static Stream<Arguments> outOfRange() {
            return Stream.of(
                Arguments.of("questionCount", (Supplier<MatchSettings>) () -> new MatchSettings(0, 10_000, 0, 0, 0)),
                Arguments.of("questionCount", (Supplier<MatchSettings>) () -> new MatchSettings(51, 10_000, 0, 0, 0)),
                Arguments.of("questionMillis", (Supplier<MatchSettings>) () -> new MatchSettings(5, 499, 0, 0, 0)),
                Arguments.of("questionMillis", (Supplier<MatchSettings>) () -> new MatchSettings(5, 120_001, 0, 0, 0)),
                Arguments.of("countdownMillis", (Supplier<MatchSettings>) () -> new MatchSettings(5, 10_000, -1, 0, 0)),
                Arguments.of("countdownMillis", (Supplier<MatchSettings>) () -> new MatchSettings(5, 10_000, 60_001, 0, 0)),
                Arguments.of("revealMillis", (Supplier<MatchSettings>) () -> new MatchSettings(5, 10_000, 0, -1, 0)),
                Arguments.of("revealMillis", (Supplier<MatchSettings>) () -> new MatchSettings(5, 10_000, 0, 60_001, 0)),
                Arguments.of("reconnectGraceMillis", (Supplier<MatchSettings>) () -> new MatchSettings(5, 10_000, 0, 0, -1)),
                Arguments.of("reconnectGraceMillis",
                    (Supplier<MatchSettings>) () -> new MatchSettings(5, 10_000, 0, 0, 600_001)),
                Arguments.of("questionCount", (Supplier<MatchSettings>) () -> settings().withQuestionCount(0)),
                Arguments.of("questionMillis", (Supplier<MatchSettings>) () -> settings().withQuestionMillis(0)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("outOfRange")
        void an_out_of_range_value_is_refused_with_a_message_naming_the_field(String field, Supplier<MatchSettings> settings) {
            assertThatThrownBy(settings::get)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + " ");
        }

        @Test
        void the_bounds_themselves_are_accepted() {
            MatchSettings least = new MatchSettings(1, 500, 0, 0, 0);
            MatchSettings most = new MatchSettings(50, 120_000, 60_000, 60_000, 600_000);

            assertThat(least.questionCount()).isEqualTo(MatchSettings.MIN_QUESTIONS);
            assertThat(most.reconnectGraceMillis()).isEqualTo(MatchSettings.MAX_GRACE_MILLIS);
        }
    }

    // ---------------------------------------------------------------- fixtures

    private static PlayerInfo player(String hex, String name) {
        return new PlayerInfo(UUID.fromString("00000000-0000-4000-8000-00000000000" + hex), name);
    }

    private static List<UUID> ids(PlayerInfo... players) {
        return Stream.of(players).map(PlayerInfo::userId).toList();
    }

    private static int correctOf(int index) {
        return (index + 1) % 4;
    }

    private static int wrongOf(int index) {
        return index % 4;
    }

    private static QuestionSpec question(int index) {
        return new QuestionSpec(100 + index, "science", index % 2 == 0 ? "easy" : "hard", "Question " + index + "?",
            List.of("A" + index, "B" + index, "C" + index, "D" + index), correctOf(index));
    }

    private static List<QuestionSpec> questions(int count) {
        return IntStream.range(0, count).mapToObj(MatchTest::question).toList();
    }

    private static MatchSettings settings() {
        return new MatchSettings(3, QUESTION_MS, COUNTDOWN_MS, REVEAL_MS, GRACE_MS);
    }

    private static MatchSettings settings(int questionCount) {
        return settings().withQuestionCount(questionCount);
    }

    private static Match matchWith(MatchSettings settings, List<PlayerInfo> players) {
        Map<UUID, String> nodes = new LinkedHashMap<>();
        players.forEach(p -> nodes.put(p.userId(), "node-1"));
        return Match.create(new MatchSpec(MATCH_ID, MatchKind.QUICK, "science", players,
            questions(settings.questionCount()), settings, nodes));
    }

    private static Match newMatch() {
        return matchWith(settings(), PLAYERS);
    }

    /** Default match with question 0 open since {@code Q0_OPEN}. */
    private static Match atFirstQuestion() {
        Match match = newMatch();
        accepted(match.start(T0));
        accepted(match.onTimer(Q0_OPEN));
        assertThat(match.phase()).isEqualTo(Phase.QUESTION);
        return match;
    }

    private static Match atSecondQuestion() {
        return atSecondQuestion(GRACE_MS);
    }

    /**
     * Question 0 played (ANN and BOB wrong, CAT correct after 1 s, closing it early at {@code Q0_CLOSE})
     * and question 1 open since {@code Q1_OPEN}.
     */
    private static Match atSecondQuestion(long graceMillis) {
        Match match = matchWith(new MatchSettings(3, QUESTION_MS, COUNTDOWN_MS, REVEAL_MS, graceMillis), PLAYERS);
        accepted(match.start(T0));
        accepted(match.onTimer(Q0_OPEN));
        accepted(match.answer(ANN.userId(), 0, wrongOf(0), Q0_OPEN + 100));
        accepted(match.answer(BOB.userId(), 0, wrongOf(0), Q0_OPEN + 200));
        accepted(match.answer(CAT.userId(), 0, correctOf(0), Q0_CLOSE));
        assertThat(match.phase()).isEqualTo(Phase.REVEAL);
        assertThat(onlyEvent(accepted(match.onTimer(Q1_OPEN)), Question.class).index()).isEqualTo(1);
        return match;
    }

    private static Question questionEvent(int index, long openedAt, long serverTime) {
        return questionEvent(index, 3, openedAt, serverTime);
    }

    /** The question event players should get: everything but the correct option. */
    private static Question questionEvent(int index, int total, long openedAt, long serverTime) {
        QuestionSpec spec = question(index);
        return new Question(MATCH_ID, index, total, spec.category(), spec.difficulty(), spec.text(), spec.options(),
            openedAt, openedAt + QUESTION_MS, serverTime);
    }

    private static Standing standing(int rank, PlayerInfo player, int score, int correct, int streak, String status) {
        return new Standing(rank, player.userId(), player.username(), score, correct, streak, status);
    }

    private static Outgoing toEveryone(ServerEvent event) {
        return new Outgoing(EVERYONE, event);
    }

    // ---------------------------------------------------------------- assertions

    private static Step accepted(Step step) {
        assertThat(step.isRejected()).as("rejected with %s: %s", step.rejection(), step.rejectionReason()).isFalse();
        return step;
    }

    private static <E extends ServerEvent> E onlyEvent(Step step, Class<E> type) {
        List<E> found = step.events().stream().map(Outgoing::event).filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as("%s events in %s", type.getSimpleName(), step.events()).hasSize(1);
        return found.get(0);
    }

    private static AnswerResult resultOf(Reveal reveal, PlayerInfo player) {
        return reveal.results().stream().filter(r -> r.userId().equals(player.userId())).findFirst()
            .orElseThrow(() -> new AssertionError("no result for " + player.username() + " in " + reveal));
    }

    private static Standing standingOf(Match match, PlayerInfo player) {
        return match.standings().stream().filter(s -> s.userId().equals(player.userId())).findFirst()
            .orElseThrow(() -> new AssertionError("no standing for " + player.username()));
    }

    /** What an observer of the match can see; a rejected call must leave all of it as it was. */
    private record Observable(Phase phase, int questionIndex, long nextWakeAt, List<Standing> standings) {
        static Observable of(Match match) {
            return new Observable(match.phase(), match.questionIndex(), match.nextWakeAt(), match.standings());
        }
    }

    private static void assertRejectedAndNothingChanged(Match match, Supplier<Step> call, ErrorCode code) {
        Observable before = Observable.of(match);

        Step step = call.get();

        assertThat(step.isRejected()).as("expected %s", code).isTrue();
        assertThat(step.rejection()).isEqualTo(code);
        assertThat(step.rejectionReason()).isNotBlank();
        assertThat(step.events()).isEmpty();
        assertThat(step.reply()).isNull();
        assertThat(step.finished()).isNull();
        assertThat(Observable.of(match)).isEqualTo(before);
    }

    private static List<String> componentNames(Class<?> type) {
        return Stream.of(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    /** Visits {@code value} and everything reachable from it through record components and collections. */
    private static void walk(Object value, Consumer<Object> visitor) {
        if (value == null) {
            return;
        }
        visitor.accept(value);
        if (value instanceof Collection<?> items) {
            items.forEach(item -> walk(item, visitor));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                walk(k, visitor);
                walk(v, visitor);
            });
        } else if (value instanceof Record) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    walk(component.getAccessor().invoke(value), visitor);
                } catch (ReflectiveOperationException e) {
                    fail("cannot read " + component + ": " + e);
                }
            }
        }
    }
}
