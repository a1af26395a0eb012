package org.quizengine.api.http;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.Wire;

/** Small helpers every REST feature uses: JSON bodies from records, and checked query parameters. */
public final class Responses {
    private Responses() {
    }

    /** Sends {@code body} (a record or collection of records) as JSON. */
    public static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Wire.encode(body));
    }

    /** An integer query parameter within bounds, or the default when absent; otherwise a field error naming it. */
    public static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
        String value = ctx.request().getParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the same error as an out-of-range value
        }
        throw new ValidationException(List.of(new FieldError(name,
            "must be a whole number between " + min + " and " + max)));
    }

    /** A UUID path parameter; anything else is "not found", since no resource can have that id. */
    public static UUID uuidPath(RoutingContext ctx, String name, String notFound) {
        try {
            return UUID.fromString(ctx.pathParam(name));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new QuizException(ErrorCode.NOT_FOUND, notFound);
        }
    }
}
