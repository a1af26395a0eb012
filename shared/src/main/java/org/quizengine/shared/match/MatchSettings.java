package org.quizengine.shared.match;

/**
 * How one match is paced. Validated on construction, so a match never runs on impossible settings.
 *
 * @param questionCount       questions in the match
 * @param questionMillis      how long each question stays open
 * @param countdownMillis     pause between the match forming and the first question
 * @param revealMillis        pause after each reveal before the next question opens
 * @param reconnectGraceMillis how long a disconnected player keeps their seat
 */
public record MatchSettings(int questionCount, long questionMillis, long countdownMillis, long revealMillis,
                            long reconnectGraceMillis) {

    public static final int MIN_QUESTIONS = 1;
    public static final int MAX_QUESTIONS = 50;
    public static final long MIN_QUESTION_MILLIS = 500;
    public static final long MAX_QUESTION_MILLIS = 120_000;
    public static final long MAX_PAUSE_MILLIS = 60_000;
    public static final long MAX_GRACE_MILLIS = 600_000;

    public MatchSettings {
        requireRange("questionCount", questionCount, MIN_QUESTIONS, MAX_QUESTIONS);
        requireRange("questionMillis", questionMillis, MIN_QUESTION_MILLIS, MAX_QUESTION_MILLIS);
        requireRange("countdownMillis", countdownMillis, 0, MAX_PAUSE_MILLIS);
        requireRange("revealMillis", revealMillis, 0, MAX_PAUSE_MILLIS);
        requireRange("reconnectGraceMillis", reconnectGraceMillis, 0, MAX_GRACE_MILLIS);
    }

    public MatchSettings withQuestionCount(int count) {
        return new MatchSettings(count, questionMillis, countdownMillis, revealMillis, reconnectGraceMillis);
    }

    public MatchSettings withQuestionMillis(long millis) {
        return new MatchSettings(questionCount, millis, countdownMillis, revealMillis, reconnectGraceMillis);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
