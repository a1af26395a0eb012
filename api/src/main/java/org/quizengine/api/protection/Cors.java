package org.quizengine.api.protection;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * CORS for the API, from an allow-list ({@link CorsOptions}). A preflight ({@code OPTIONS} with
 * {@code Origin} and {@code Access-Control-Request-Method}) from an allowed origin is answered 204
 * with the methods and headers the API uses; from any other origin it is refused with a 403
 * problem. Other requests from an allowed origin get {@code Access-Control-Allow-Origin}; from any
 * other origin they are served without it, so the browser keeps the response from the page.
 *
 * <p>With no origins configured nothing is added and preflights are refused: browsers on other
 * sites cannot call the API, while clients that are not browsers never send preflights.
 */
public final class Cors implements Handler<RoutingContext> {
    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type";
    /** What a page may read from a response besides the CORS-safelisted headers. */
    static final String EXPOSED_HEADERS = "Location, Retry-After, WWW-Authenticate, RateLimit-Limit, "
        + "RateLimit-Remaining, RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset";
    private static final String MAX_AGE_SECONDS = "600";

    private final CorsOptions options;

    public Cors(CorsOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void handle(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        MultiMap headers = ctx.response().headers();
        if (options.enabled()) {
            // The answer depends on the Origin, so no cache may hand it to another origin.
            headers.add("Vary", "Origin");
        }
        if (isPreflight(ctx)) {
            preflight(ctx, origin);
            return;
        }
        if (origin != null && options.allows(origin)) {
            allowOrigin(headers, origin);
            headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        ctx.next();
    }

    private void preflight(RoutingContext ctx, String origin) {
        if (!options.allows(origin)) {
            ctx.fail(new QuizException(ErrorCode.ORIGIN_NOT_ALLOWED,
                "Cross-origin requests from " + origin + " are not allowed."));
            return;
        }
        MultiMap headers = ctx.response().headers();
        allowOrigin(headers, origin);
        headers.add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers")
            .set("Access-Control-Allow-Methods", ALLOWED_METHODS)
            .set("Access-Control-Allow-Headers", ALLOWED_HEADERS)
            .set("Access-Control-Max-Age", MAX_AGE_SECONDS);
        ctx.response().setStatusCode(204).end();
    }

    private void allowOrigin(MultiMap headers, String origin) {
        // The origin itself rather than '*', even when any is allowed, so credentials can work.
        headers.set("Access-Control-Allow-Origin", origin);
        if (options.allowCredentials()) {
            headers.set("Access-Control-Allow-Credentials", "true");
        }
    }

    private static boolean isPreflight(RoutingContext ctx) {
        return ctx.request().method() == HttpMethod.OPTIONS
            && ctx.request().getHeader("Origin") != null
            && ctx.request().getHeader("Access-Control-Request-Method") != null;
    }
}
