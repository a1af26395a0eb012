package org.quizengine.api.history;

import java.util.List;
import java.util.UUID;

/**
 * A finished match as it was played: who played, every question as it was asked (correct option
 * included: the match is over) and every answer. Times are epoch millis.
 *
 * @param kind     {@code quick} or {@code lobby}
 * @param category the category played, or {@code null} for a mixed match
 * @param endReason why an operator ended it before its last question; {@code null} if it was played to its end
 * @param players  by rank
 * @param questions in the order they were asked
 */
public record MatchDetail(UUID matchId, String kind, String category, int questionCount, long startedAt,
                          long finishedAt, String endReason, List<Player> players, List<Question> questions) {

    public MatchDetail {
        players = List.copyOf(players);
        questions = List.copyOf(questions);
    }

    /** A player's final line; {@code left} when they left before the end. */
    public record Player(UUID userId, String username, int rank, int score, int correctAnswers, int bestStreak,
                         boolean left) {
    }

    /** A question as it was asked, with the answers given to it, in the order they arrived. */
    public record Question(int index, String category, String difficulty, String text, List<String> options,
                           int correctOption, long openedAt, long closedAt, List<Answer> answers) {
        public Question {
            options = List.copyOf(options);
            answers = List.copyOf(answers);
        }
    }

    /** One answer; {@code elapsedMs} counts from the question opening. */
    public record Answer(UUID userId, int option, boolean correct, int points, long elapsedMs, long answeredAt) {
    }
}
