package org.quizengine.shared.match;

import java.util.List;

/**
 * A question as a match holds it, correct option included. It never leaves the server as is.
 *
 * @param correctOption 0-based index into {@code options}
 */
public record QuestionSpec(long questionId, String category, String difficulty, String text, List<String> options,
                           int correctOption) {

    public QuestionSpec {
        options = List.copyOf(options);
        if (options.size() < 2) {
            throw new IllegalArgumentException("a question needs at least two options");
        }
        if (correctOption < 0 || correctOption >= options.size()) {
            throw new IllegalArgumentException("correctOption out of range: " + correctOption);
        }
    }
}
