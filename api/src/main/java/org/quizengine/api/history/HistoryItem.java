package org.quizengine.api.history;

import java.util.UUID;

/**
 * One finished match in a player's history, from that player's point of view.
 *
 * @param kind       {@code quick} or {@code lobby}
 * @param category   the category played, or {@code null} for a mixed match
 * @param startedAt  epoch millis
 * @param finishedAt epoch millis
 * @param players    how many players the match had
 */
public record HistoryItem(UUID matchId, String kind, String category, long startedAt, long finishedAt, int rank,
                          int score, int correctAnswers, int players) {
}
