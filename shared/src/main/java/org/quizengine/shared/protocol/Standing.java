package org.quizengine.shared.protocol;

import java.util.UUID;

/**
 * One line of a match's standings. Players with equal scores share a rank.
 *
 * @param status {@code connected}, {@code disconnected} (within the reconnect grace) or {@code left}
 */
public record Standing(int rank, UUID userId, String username, int score, int correctAnswers, int streak, String status) {
}
