package org.quizengine.api.http;

import java.util.Objects;

/** One rejected field of a request body: its name and what is wrong with it (never its value). */
public record FieldError(String field, String message) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
