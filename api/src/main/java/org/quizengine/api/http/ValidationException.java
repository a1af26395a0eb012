package org.quizengine.api.http;

import java.util.List;
import java.util.stream.Collectors;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/** A {@link ErrorCode#VALIDATION_FAILED} failure that names each rejected field; {@link Problems} lists them. */
public final class ValidationException extends QuizException {
    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(ErrorCode.VALIDATION_FAILED, "Invalid " + errors.stream()
            .map(FieldError::field).distinct().collect(Collectors.joining(", ")) + ".");
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("A validation failure needs at least one field error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
