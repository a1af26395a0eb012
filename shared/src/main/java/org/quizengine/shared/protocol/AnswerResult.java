package org.quizengine.shared.protocol;

import java.util.UUID;

/**
 * How one player did on one question, sent with the reveal.
 *
 * @param option    the option chosen, or {@code null} when the player did not answer
 * @param elapsedMs milliseconds from the question opening to the answer, or {@code null}
 */
public record AnswerResult(UUID userId, Integer option, boolean correct, int points, int streak, Long elapsedMs) {
}
