package org.quizengine.api.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/** Reads a request body that must be a JSON object. Needs a {@code BodyHandler} before it. */
public final class JsonBodies {
    private static final String JSON = "application/json";

    private JsonBodies() {
    }

    /**
     * The body as a JSON object; throws UNSUPPORTED_MEDIA_TYPE (415) for a missing or wrong content
     * type, MALFORMED_MESSAGE (400) for bad JSON or a non-object.
     */
    public static JsonObject requireObject(RoutingContext ctx) {
        if (!mediaType(ctx).equals(JSON)) {
            throw new QuizException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The request body must be sent as " + JSON + ".");
        }
        if (ctx.body().isEmpty()) {
            throw new QuizException(ErrorCode.MALFORMED_MESSAGE, "The request body must be a JSON object.");
        }
        Object value;
        try {
            value = Json.decodeValue(ctx.body().buffer());
        } catch (DecodeException e) {
            throw new QuizException(ErrorCode.MALFORMED_MESSAGE, "The request body is not valid JSON.");
        }
        if (!(value instanceof JsonObject object)) {
            throw new QuizException(ErrorCode.MALFORMED_MESSAGE, "The request body must be a JSON object.");
        }
        return object;
    }

    /**
     * Whether the request's {@code charset} parameter, if it has one, names UTF-8 (case and quotes
     * aside): JSON is read as UTF-8 only.
     */
    public static boolean charsetIsUtf8(RoutingContext ctx) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null) {
            return true;
        }
        for (String parameter : contentType.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                String charset = parameter.substring(equals + 1).trim().replace("\"", "");
                return charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("utf8");
            }
        }
        return true;
    }

    /** The request's media type, lower case and without parameters ({@code text/csv; charset=utf-8} is {@code text/csv}); empty if none. */
    public static String mediaType(RoutingContext ctx) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null) {
            return "";
        }
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }
}
