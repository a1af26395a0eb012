package org.quizengine.shared;

import java.util.Objects;

/** A failure with a stable {@link ErrorCode}, meant to reach the client as that code and message. */
public class QuizException extends RuntimeException {
    private final ErrorCode code;

    public QuizException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
    }
}
