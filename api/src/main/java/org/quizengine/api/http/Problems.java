package org.quizengine.api.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.quizengine.api.protection.BodyLimits;
import org.quizengine.api.storage.StoreOutage;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place REST errors become RFC 9457 {@code application/problem+json} responses. Every
 * router installs {@link #handleFailure} as its failure handler and fails contexts with a
 * {@link QuizException}; a store that could not be reached ({@link StoreOutage}) is 503
 * SERVICE_UNAVAILABLE; anything else is an internal error, logged and answered without detail.
 * A {@link ValidationException} adds an {@code errors} member: {@code [{field, message}, ...]}.
 * Every 503 carries {@code Retry-After}.
 */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    /** The routing context data key under which a problem response leaves its {@link ErrorCode}, for the node's metrics. */
    public static final String ERROR_CODE_KEY = "quiz.problemCode";
    /** What a 503 asks a client to wait: results land, and stores are retried, within a few seconds of a store's return. */
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final long OUTAGE_LOG_INTERVAL_NANOS = 60_000_000_000L;
    private static final AtomicLong OUTAGE_LOGGED = new AtomicLong(System.nanoTime() - OUTAGE_LOG_INTERVAL_NANOS);

    private Problems() {
    }

    /** Sends a problem response for {@code code}. */
    public static void send(RoutingContext ctx, ErrorCode code, String detail) {
        send(ctx, code, detail, List.of());
    }

    /** Sends a problem response for {@code code} that names the rejected fields. */
    public static void send(RoutingContext ctx, ErrorCode code, String detail, List<FieldError> errors) {
        JsonObject members = new JsonObject();
        if (!errors.isEmpty()) {
            JsonArray list = new JsonArray();
            errors.forEach(error -> list.add(new JsonObject().put("field", error.field()).put("message", error.message())));
            members.put("errors", list);
        }
        send(ctx, code, detail, members);
    }

    /**
     * Sends a problem response for {@code code} with extension members beside the standard ones
     * (RFC 9457 section 3.2), e.g. {@code errors} naming the rows of a rejected import.
     */
    public static void send(RoutingContext ctx, ErrorCode code, String detail, JsonObject extensions) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        JsonObject body = extensions.copy()
            .put("type", "urn:quizengine:error:" + code.name().toLowerCase(Locale.ROOT))
            .put("title", code.name())
            .put("status", code.httpStatus())
            .put("code", code.name())
            .put("detail", detail)
            .put("instance", ctx.request().path());
        if (code.httpStatus() == 401 && !ctx.response().headers().contains("WWW-Authenticate")) {
            // RFC 9110: a 401 names the scheme that would work.
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        if (code.httpStatus() == 503 && !ctx.response().headers().contains(HttpHeaders.RETRY_AFTER)) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        }
        ctx.put(ERROR_CODE_KEY, code);
        ctx.response()
            .setStatusCode(code.httpStatus())
            .putHeader("Content-Type", CONTENT_TYPE)
            .end(body.encode());
    }

    /** A failure handler for any router: maps a failed context to a problem response. */
    public static void handleFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ValidationException invalid) {
            send(ctx, invalid.code(), invalid.getMessage(), invalid.errors());
            return;
        }
        if (failure instanceof QuizException quiz) {
            send(ctx, quiz.code(), quiz.getMessage());
            return;
        }
        if (StoreOutage.isOutage(failure)) {
            logOutage(ctx, failure);
            send(ctx, ErrorCode.SERVICE_UNAVAILABLE, "A data store is unavailable right now; try again shortly.");
            return;
        }
        int status = ctx.statusCode();
        if (failure instanceof HttpException http && http.getStatusCode() < 500) {
            // Thrown by Vert.x Web itself for requests it cannot route or read.
            status = http.getStatusCode();
            failure = null;
        }
        if (failure == null && status > 0) {
            send(ctx, fromStatus(status), status == 413 ? BodyLimits.describe(ctx) : defaultDetail(status));
            return;
        }
        if (hasMalformedEscape(ctx.request().uri())) {
            // The path or query could not be decoded, wherever that was tried (Vert.x Web fails such a
            // path with a throwable of its own, not an IllegalArgumentException): the request's fault.
            // The path only: a query may carry an access token (/ws?access_token=...).
            LOG.debug("Malformed request URI, path {}", ctx.request().uri().split("\\?", 2)[0], failure);
            send(ctx, ErrorCode.MALFORMED_MESSAGE, malformedUri().getMessage());
            return;
        }
        LOG.error("Unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
        send(ctx, ErrorCode.INTERNAL_ERROR, "The server could not complete the request.");
    }

    /** What a request whose URI has a malformed escape ({@link #hasMalformedEscape}) is failed with. */
    static QuizException malformedUri() {
        return new QuizException(ErrorCode.MALFORMED_MESSAGE,
            "The request URI has a '%' that is not followed by two hexadecimal digits; send a '%' as %25.");
    }

    /** Whether {@code uri} has a percent sign not followed by two hexadecimal digits. */
    static boolean hasMalformedEscape(String uri) {
        for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
            if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
                || Character.digit(uri.charAt(i + 2), 16) < 0) {
                return true;
            }
        }
        return false;
    }

    // At most once a minute: during an outage every request that needs the store fails so.
    private static void logOutage(RoutingContext ctx, Throwable failure) {
        long now = System.nanoTime();
        long last = OUTAGE_LOGGED.get();
        if (now - last >= OUTAGE_LOG_INTERVAL_NANOS && OUTAGE_LOGGED.compareAndSet(last, now)) {
            LOG.warn("A store is unavailable: {} {} answered 503 ({}); further ones are not logged for a minute",
                ctx.request().method(), ctx.request().path(), failure.toString());
        }
    }

    private static ErrorCode fromStatus(int status) {
        return switch (status) {
            case 400 -> ErrorCode.MALFORMED_MESSAGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> ErrorCode.INTERNAL_ERROR;
        };
    }

    private static String defaultDetail(int status) {
        return switch (status) {
            case 400 -> "The request could not be read.";
            case 401 -> "A valid access token is required.";
            case 403 -> "You may not do this.";
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed here.";
            case 413 -> "The request body is too large.";
            case 415 -> "The request body must be application/json.";
            default -> "The request failed.";
        };
    }
}
