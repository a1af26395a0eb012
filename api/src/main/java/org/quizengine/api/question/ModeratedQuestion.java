package org.quizengine.api.question;

import java.util.List;

/**
 * A question as moderators see it, correct option included; never shown to players.
 *
 * @param correctOption 0-based index into {@code options}
 * @param version       bumped by every change; an edit must name the version it was based on
 * @param createdAt     ISO-8601 instant
 * @param updatedAt     ISO-8601 instant
 */
public record ModeratedQuestion(long id, String category, String difficulty, String text, List<String> options,
                                int correctOption, boolean active, int version, String createdAt, String updatedAt) {
    public ModeratedQuestion {
        options = List.copyOf(options);
    }
}
