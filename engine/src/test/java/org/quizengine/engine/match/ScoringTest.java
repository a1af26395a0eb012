package org.quizengine.engine.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Scoring")
class ScoringTest {

    private static final long TEN_SECONDS = 10_000;

    @Nested
    @DisplayName("speed")
    class Speed {

        @Test
        void an_instant_correct_answer_without_a_streak_is_worth_1000() {
            assertThat(Scoring.correctAnswerPoints(0, TEN_SECONDS, 1)).isEqualTo(1000);
        }

        @Test
        void a_correct_answer_at_the_last_millisecond_is_worth_the_base_500() {
            assertThat(Scoring.correctAnswerPoints(TEN_SECONDS, TEN_SECONDS, 1)).isEqualTo(500);
        }

        @ParameterizedTest(name = "{0} ms of {1} ms -> {2}")
        @CsvSource({
            "1,     10000, 999",   // 499.95 rounds down
            "2000,  10000, 900",
            "2500,  10000, 875",
            "3333,  10000, 833",   // 333.35 rounds down
            "9999,  10000, 500",   // 0.05 rounds down
            "5000,  10000, 750",
            "1,     7000,  999",   // 499.93 rounds down
            "3500,  7000,  750",
            "60000, 120000, 750",
            "1,     120000, 999",
        })
        void the_speed_part_falls_linearly_and_is_rounded_down(long elapsedMs, long questionMillis, int points) {
            assertThat(Scoring.correctAnswerPoints(elapsedMs, questionMillis, 1)).isEqualTo(points);
        }

        @Test
        void an_elapsed_time_outside_the_question_is_clamped_to_it() {
            assertThat(Scoring.correctAnswerPoints(-50, TEN_SECONDS, 1)).isEqualTo(1000);
            assertThat(Scoring.correctAnswerPoints(TEN_SECONDS + 1, TEN_SECONDS, 1)).isEqualTo(500);
            assertThat(Scoring.correctAnswerPoints(Long.MAX_VALUE, TEN_SECONDS, 1)).isEqualTo(500);
        }
    }

    @Nested
    @DisplayName("streak bonus")
    class StreakBonus {

        @ParameterizedTest(name = "streak {0} -> {1}")
        @CsvSource({
            "1, 1000",
            "2, 1100",
            "3, 1200",
            "4, 1300",
            "5, 1400",
            "6, 1500",
        })
        void grows_by_100_for_each_consecutive_correct_answer_after_the_first(int streak, int points) {
            assertThat(Scoring.correctAnswerPoints(0, TEN_SECONDS, streak)).isEqualTo(points);
        }

        @ParameterizedTest(name = "streak {0} is capped at 5 steps")
        @CsvSource({"7", "8", "50", "2147483647"})
        void is_capped_at_five_steps(int streak) {
            assertThat(Scoring.correctAnswerPoints(0, TEN_SECONDS, streak)).isEqualTo(1500);
        }

        @Test
        void matches_the_documented_example_of_an_instant_answer_on_a_fifth_streak() {
            assertThat(Scoring.correctAnswerPoints(0, TEN_SECONDS, 5)).isEqualTo(500 + 500 + 400);
        }

        @Test
        void adds_on_top_of_the_speed_part() {
            assertThat(Scoring.correctAnswerPoints(2000, TEN_SECONDS, 3)).isEqualTo(500 + 400 + 200);
            assertThat(Scoring.correctAnswerPoints(TEN_SECONDS, TEN_SECONDS, 9)).isEqualTo(500 + 0 + 500);
        }

        @Test
        void a_streak_of_zero_or_less_earns_no_bonus_and_no_penalty() {
            assertThat(Scoring.correctAnswerPoints(0, TEN_SECONDS, 0)).isEqualTo(1000);
            assertThat(Scoring.correctAnswerPoints(0, TEN_SECONDS, -3)).isEqualTo(1000);
        }
    }
}
