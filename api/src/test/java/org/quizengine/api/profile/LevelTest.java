package org.quizengine.api.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LevelTest {

    @ParameterizedTest(name = "score {0} is level {1}")
    @CsvSource({
        "0, 1, 0, 5000",
        "1, 1, 0, 5000",
        "4999, 1, 0, 5000",
        "5000, 2, 5000, 15000",
        "14999, 2, 5000, 15000",
        "15000, 3, 15000, 30000",
        "29999, 3, 15000, 30000",
        "30000, 4, 30000, 50000",
        "50000, 5, 50000, 75000",
        "1000000, 20, 950000, 1050000",
    })
    void followsTheDocumentedThresholds(long score, int level, long levelScore, long nextLevelScore) {
        assertThat(Level.forScore(score))
            .isEqualTo(new Level(level, levelScore, nextLevelScore, nextLevelScore - score));
    }

    @Test
    void aNegativeScoreCountsAsNothing() {
        assertThat(Level.forScore(-1)).isEqualTo(Level.forScore(0));
        assertThat(Level.forScore(Long.MIN_VALUE)).isEqualTo(Level.forScore(0));
    }

    @Test
    void everyScoreLiesInItsLevelUpToTheTop() {
        for (long score : new long[] {123_456_789L, 999_999_999_999L, Level.MAX_COUNTED_SCORE, Long.MAX_VALUE}) {
            Level level = Level.forScore(score);
            long counted = Math.min(score, Level.MAX_COUNTED_SCORE);
            assertThat(level.levelScore()).isLessThanOrEqualTo(counted);
            assertThat(level.nextLevelScore()).isGreaterThan(counted);
            assertThat(level.pointsToNextLevel()).isPositive();
            assertThat(level.levelScore()).isEqualTo(Level.threshold(level.number()));
        }
    }

    @Test
    void levelsNeverGoDownAsTheScoreGrows() {
        int previous = 1;
        for (long score = 0; score <= 2_000_000; score += 997) {
            int number = Level.forScore(score).number();
            assertThat(number).isBetween(previous, previous + 1);
            previous = number;
        }
    }
}
