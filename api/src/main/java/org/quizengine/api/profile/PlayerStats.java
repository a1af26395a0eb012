package org.quizengine.api.profile;

/**
 * A player's lifetime numbers, all zero before their first match.
 *
 * @param accuracy     correct answers per answered question, 0 to 1; defined as 0 before any answer
 * @param level        worked out from {@code totalScore} by {@link Level#forScore}
 * @param lastPlayedAt epoch millis of the end of their latest match, or {@code null} if none
 */
public record PlayerStats(int matchesPlayed, int wins, long totalScore, int bestScore, int questionsAnswered,
                          int correctAnswers, double accuracy, int bestStreak, Level level, Long lastPlayedAt) {

    /** The stats of someone who has not played yet. */
    public static final PlayerStats NONE = of(0, 0, 0, 0, 0, 0, 0, null);

    /** Stats with {@code accuracy} and {@code level} worked out from the counts. */
    public static PlayerStats of(int matchesPlayed, int wins, long totalScore, int bestScore, int questionsAnswered,
                                 int correctAnswers, int bestStreak, Long lastPlayedAt) {
        double accuracy = questionsAnswered == 0 ? 0.0 : (double) correctAnswers / questionsAnswered;
        return new PlayerStats(matchesPlayed, wins, totalScore, bestScore, questionsAnswered, correctAnswers, accuracy,
            bestStreak, Level.forScore(totalScore), lastPlayedAt);
    }

    /** What anyone may see: these stats without {@code lastPlayedAt}, which tells when the player is active. */
    public PlayerStats publicView() {
        return new PlayerStats(matchesPlayed, wins, totalScore, bestScore, questionsAnswered, correctAnswers, accuracy,
            bestStreak, level, null);
    }
}
