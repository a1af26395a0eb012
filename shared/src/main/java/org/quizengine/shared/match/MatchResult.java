package org.quizengine.shared.match;

import java.util.List;
import java.util.UUID;

/**
 * A finished match, as it is stored. Writing the same result twice must change nothing, so it
 * carries everything needed and is keyed by {@code matchId}. {@code endReason} is set only for a
 * match an operator ended before its last question: why, as its players were told.
 */
public record MatchResult(UUID matchId, MatchKind kind, String category, long startedAt, long finishedAt,
                          List<PlayerResult> players, List<QuestionResult> questions, String endReason) {

    public MatchResult {
        players = List.copyOf(players);
        questions = List.copyOf(questions);
    }

    /** A match played to its end (or until everyone left). */
    public MatchResult(UUID matchId, MatchKind kind, String category, long startedAt, long finishedAt,
                       List<PlayerResult> players, List<QuestionResult> questions) {
        this(matchId, kind, category, startedAt, finishedAt, players, questions, null);
    }

    /** A player's final line; {@code rank} 1 is best, ties share a rank. */
    public record PlayerResult(UUID userId, String username, int rank, int score, int correctAnswers,
                               int answeredQuestions, int bestStreak, boolean left) {
    }

    /** A question as it was asked, with every player's answer (players who did not answer have none). */
    public record QuestionResult(int index, QuestionSpec question, long openedAt, long closedAt,
                                 List<AnswerRecord> answers) {
        public QuestionResult {
            answers = List.copyOf(answers);
        }
    }

    /** One answer: when it arrived, and what it earned. */
    public record AnswerRecord(UUID userId, int option, boolean correct, int points, long elapsedMs, long answeredAt,
                               int streak) {
    }
}
