package org.quizengine.engine.match;

/**
 * Points for one answer. Deterministic and documented in docs/protocol.md:
 *
 * <pre>
 * wrong or no answer: 0 points, streak back to 0
 * correct:            BASE + floor(SPEED * (questionMillis - elapsedMs) / questionMillis)
 *                     + STREAK_STEP * min(streak - 1, MAX_STREAK_STEPS)
 * </pre>
 *
 * where {@code elapsedMs} is clamped to {@code [0, questionMillis]} and {@code streak} counts
 * consecutive correct answers including this one. An instant correct answer on a 5th streak is
 * worth 500 + 500 + 400 = 1400; a last-millisecond correct answer with no streak is worth 500.
 */
public final class Scoring {
    public static final int BASE = 500;
    public static final int SPEED = 500;
    public static final int STREAK_STEP = 100;
    public static final int MAX_STREAK_STEPS = 5;

    private Scoring() {
    }

    /** Points for a correct answer given after {@code elapsedMs} with {@code streak} correct answers in a row. */
    public static int correctAnswerPoints(long elapsedMs, long questionMillis, int streak) {
        long elapsed = Math.max(0, Math.min(elapsedMs, questionMillis));
        int speed = (int) (SPEED * (questionMillis - elapsed) / questionMillis);
        int streakBonus = STREAK_STEP * Math.min(Math.max(streak - 1, 0), MAX_STREAK_STEPS);
        return BASE + speed + streakBonus;
    }
}
