package org.quizengine.api.profile;

/**
 * A player's level, which depends on their lifetime total score alone.
 *
 * <p>The formula: every player starts at level 1, and going from level {@code n} to {@code n + 1}
 * takes {@link #POINTS_PER_STEP} {@code × n} more points. So level {@code n} is reached at a total
 * score of {@code POINTS_PER_STEP × n × (n − 1) / 2}: level 2 at 5,000, level 3 at 15,000, level 4 at
 * 30,000, level 5 at 50,000. A good match is worth several thousand points, so the first levels come
 * in a few matches and later ones take longer and longer, without a ceiling.
 *
 * @param number            1 and up
 * @param levelScore        the total score at which this level was reached
 * @param nextLevelScore    the total score at which the next level is reached
 * @param pointsToNextLevel how many points are still missing for the next level, at least 1
 */
public record Level(int number, long levelScore, long nextLevelScore, long pointsToNextLevel) {
    /** Points the step from level 1 to 2 takes; each later step takes this much more than the one before. */
    public static final long POINTS_PER_STEP = 5_000;

    /** Scores above this count as this much, which keeps the arithmetic exact (level 632,456 or so). */
    static final long MAX_COUNTED_SCORE = 1_000_000_000_000_000L;

    /** The level of a player with this lifetime total score; a negative score counts as 0. */
    public static Level forScore(long totalScore) {
        long score = Math.min(MAX_COUNTED_SCORE, Math.max(0, totalScore));
        // Solve POINTS_PER_STEP * n(n-1)/2 <= score for the largest n, then correct the rounding.
        int n = (int) Math.max(1, Math.floor((1 + Math.sqrt(1 + 8.0 * score / POINTS_PER_STEP)) / 2));
        while (n > 1 && threshold(n) > score) {
            n--;
        }
        while (threshold(n + 1) <= score) {
            n++;
        }
        long next = threshold(n + 1);
        return new Level(n, threshold(n), next, next - score);
    }

    /** The total score at which {@code level} is reached. */
    static long threshold(int level) {
        return POINTS_PER_STEP * ((long) level * (level - 1) / 2);
    }
}
