package org.quizengine.api.protection;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Reads request bodies up to a limit: the configured one for every API route, or a route's own
 * (a bulk import may need more) set with {@link #override}. A body over the limit is refused with
 * 413 BODY_TOO_LARGE naming the limit: at once when {@code Content-Length} says so, else as soon as
 * the chunks received pass it, so a chunked upload is never buffered beyond the limit.
 */
public final class BodyLimits implements Handler<RoutingContext> {
    private static final String LIMIT_KEY = BodyLimits.class.getName() + ".limit";

    private final long defaultLimit;
    private final String prefix;
    // Path (relative to the prefix) to limit; written while routes are mounted, read per request.
    private final Map<String, Long> overrides = new ConcurrentHashMap<>();
    private final Map<Long, BodyHandler> readers = new ConcurrentHashMap<>();

    /**
     * @param prefix       the path the router that runs this handler is mounted at (e.g. {@code /api/v1})
     * @param defaultLimit bytes allowed for any route without its own limit
     */
    public BodyLimits(String prefix, long defaultLimit) {
        if (defaultLimit < 1) {
            throw new IllegalArgumentException("The body limit must be positive, was " + defaultLimit);
        }
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.defaultLimit = defaultLimit;
    }

    /** Gives {@code path} (relative to the prefix, e.g. {@code /questions/import}) and everything under it its own limit. */
    public void override(String path, long limit) {
        if (limit < 1 || !path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("A body limit needs a path like /name and a positive size, got "
                + path + " and " + limit);
        }
        overrides.put(path, limit);
    }

    /** The limit in force for this request, as the 413 detail reports it. */
    public static String describe(RoutingContext ctx) {
        Long limit = ctx.get(LIMIT_KEY);
        return limit == null
            ? "The request body is too large."
            : "The request body is larger than the limit of " + limit + " bytes.";
    }

    @Override
    public void handle(RoutingContext ctx) {
        long limit = limitFor(ctx.normalizedPath());
        ctx.put(LIMIT_KEY, limit);
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredLength(length) > limit) {
            ctx.fail(new QuizException(ErrorCode.BODY_TOO_LARGE, describe(ctx)));
            return;
        }
        // BodyHandler fails the context with 413 once the received chunks pass the limit.
        readers.computeIfAbsent(limit, bytes -> BodyHandler.create(false).setBodyLimit(bytes)).handle(ctx);
    }

    private long limitFor(String fullPath) {
        if (overrides.isEmpty() || fullPath == null || !fullPath.startsWith(prefix)) {
            return defaultLimit;
        }
        String path = fullPath.substring(prefix.length());
        long limit = defaultLimit;
        int longestMatch = -1;
        for (Map.Entry<String, Long> override : overrides.entrySet()) {
            String key = override.getKey();
            boolean matches = path.equals(key) || path.startsWith(key + "/");
            if (matches && key.length() > longestMatch) {
                longestMatch = key.length();
                limit = override.getValue();
            }
        }
        return limit;
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            // The HTTP codec refuses a malformed Content-Length before routing; be safe anyway.
            return Long.MAX_VALUE;
        }
    }
}
