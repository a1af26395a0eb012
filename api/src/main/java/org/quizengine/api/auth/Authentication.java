package org.quizengine.api.auth;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Requires {@code Authorization: Bearer <token>} and puts the verified {@link AuthenticatedUser}
 * into the context for the handlers after it. A missing or bad token fails the context with
 * UNAUTHORIZED, a token of a revoked session with SESSION_REVOKED ({@code Problems} answers both
 * with 401 and a {@code WWW-Authenticate} header), a token of a disabled account with
 * ACCOUNT_DISABLED (403).
 */
public final class Authentication implements Handler<RoutingContext> {
    private static final String USER_KEY = Authentication.class.getName() + ".user";
    private static final String BEARER = "Bearer ";
    // RFC 6750 section 3.1: a token was sent but is not acceptable.
    private static final String INVALID_TOKEN_CHALLENGE = "Bearer error=\"invalid_token\"";

    private final Sessions sessions;

    public Authentication(Sessions sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public void handle(RoutingContext ctx) {
        String token = bearerToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            ctx.fail(new QuizException(ErrorCode.UNAUTHORIZED, "An 'Authorization: Bearer <token>' header is required."));
            return;
        }
        sessions.authenticate(token).onComplete(result -> {
            if (result.failed()) {
                if (result.cause() instanceof QuizException quiz && quiz.code().httpStatus() == 401) {
                    ctx.response().putHeader("WWW-Authenticate", INVALID_TOKEN_CHALLENGE);
                }
                ctx.fail(result.cause());
                return;
            }
            ctx.put(USER_KEY, result.result());
            ctx.next();
        });
    }

    /** The user this request was authenticated as; only valid behind an {@link Authentication} handler. */
    public static AuthenticatedUser current(RoutingContext ctx) {
        AuthenticatedUser user = ctx.get(USER_KEY);
        if (user == null) {
            throw new IllegalStateException("No authenticated user: the route is not behind Authentication");
        }
        return user;
    }

    /** A handler that lets only users with at least {@code minimum}'s rights through; others get FORBIDDEN. */
    public static Handler<RoutingContext> requireRole(Role minimum) {
        Objects.requireNonNull(minimum, "minimum");
        return ctx -> {
            if (current(ctx).role().atLeast(minimum)) {
                ctx.next();
                return;
            }
            ctx.fail(new QuizException(ErrorCode.FORBIDDEN, "This requires the " + minimum.wireName() + " role."));
        };
    }

    /** The token of an {@code Authorization: Bearer <token>} header value; null for anything else. */
    public static String bearerToken(String header) {
        if (header == null || header.length() <= BEARER.length()
            || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
