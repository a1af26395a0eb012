package org.quizengine.api.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.quizengine.api.auth.AccountJson;
import org.quizengine.api.auth.AuthRouter;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.PasswordHasher;
import org.quizengine.api.auth.TokenService;
import org.quizengine.api.auth.UserRepository;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * The REST surface of a node: security headers on every response, {@code /health}, and under
 * {@code /api/v1} a size-limited body, the auth routes, and the routes behind a bearer token.
 *
 * <p>Features mount their routers under {@code /api/v1} with {@link #mountPublic} or
 * {@link #mountProtected}, or add single routes to {@link #protectedRouter()}; handlers behind the
 * token may call {@link Authentication#current}. The protected routes are tried after every public
 * one, whenever it was mounted, so an anonymous request for an unknown path under {@code /api/v1}
 * is answered 401 (sign in first) rather than 404: it learns nothing about which paths exist.
 */
public final class ApiRouter {
    public static final String API_PREFIX = "/api/v1";
    public static final long BODY_LIMIT_BYTES = 16 * 1024;
    private static final List<Integer> ROUTER_ERRORS = List.of(400, 404, 405, 413, 415, 500);
    // Public routes get the default, ascending order as they are added; this stays behind them all.
    private static final int PROTECTED_ORDER = Integer.MAX_VALUE / 2;

    private final Router root;
    private final Router api;
    private final Router protectedRoutes;
    private final UserRepository users;
    private final BodyHandler defaultBody = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);
    /** Full paths (with {@code /api/v1}) whose bodies have a limit of their own; see {@link #bodyLimit}. */
    private final Map<String, BodyHandler> ownBodyLimits = new ConcurrentHashMap<>();

    public ApiRouter(Vertx vertx, TokenService tokens, PasswordHasher hasher, UserRepository users, HealthRoutes health) {
        this.users = Objects.requireNonNull(users, "users");
        api = Router.router(vertx);
        api.route().handler(ctx -> ownBodyLimits.getOrDefault(ctx.normalizedPath(), defaultBody).handle(ctx));
        // Last, so failures in any sub-router mounted later, with or without its own handler, end here.
        api.route().last().failureHandler(Problems::handleFailure);
        mountPublic(AuthRouter.MOUNT_PATH, new AuthRouter(vertx, hasher, tokens, users).router());

        protectedRoutes = Router.router(vertx);
        protectedRoutes.route().handler(new Authentication(tokens));
        protectedRoutes.route().last().failureHandler(Problems::handleFailure);
        protectedRoutes.get("/me").handler(this::me);
        api.route("/*").order(PROTECTED_ORDER).subRouter(protectedRoutes);

        root = Router.router(vertx);
        root.route().handler(ApiRouter::securityHeaders);
        root.route().last().failureHandler(Problems::handleFailure);
        root.route(HealthRoutes.MOUNT_PATH + "/*").subRouter(health.router());
        root.route(API_PREFIX + "/*").subRouter(api);
        // Requests that match no route, or fail outside any route, still get a problem body.
        ROUTER_ERRORS.forEach(status -> root.errorHandler(status, Problems::handleFailure));
    }

    /** The router to hand to {@code HttpServer.requestHandler}. */
    public Router router() {
        return root;
    }

    /** Routes under {@code /api/v1} that only a signed-in user reaches; paths are relative to {@code /api/v1}. */
    public Router protectedRouter() {
        return protectedRoutes;
    }

    /** Mounts {@code sub} at {@code /api/v1 + path} (e.g. {@code "/leaderboards"}) for anyone. */
    public ApiRouter mountPublic(String path, Router sub) {
        api.route(subPath(path)).subRouter(sub);
        return this;
    }

    /** Mounts {@code sub} at {@code /api/v1 + path} (e.g. {@code "/profile"}) behind the bearer token. */
    public ApiRouter mountProtected(String path, Router sub) {
        protectedRoutes.route(subPath(path)).subRouter(sub);
        return this;
    }

    /**
     * Lets requests to one exact path under {@code /api/v1} (e.g. {@code "/questions/import"}) carry
     * bodies of up to {@code bytes} instead of {@link #BODY_LIMIT_BYTES}; a larger body is answered
     * 413. Every other path keeps the default limit.
     */
    public ApiRouter bodyLimit(String path, long bytes) {
        if (!path.startsWith("/") || path.endsWith("/") || bytes <= 0) {
            throw new IllegalArgumentException("A body limit needs a path like /name and a positive size");
        }
        ownBodyLimits.put(API_PREFIX + path, BodyHandler.create(false).setBodyLimit(bytes));
        return this;
    }

    private static String subPath(String path) {
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("*")) {
            throw new IllegalArgumentException("A mount path looks like /name, was " + path);
        }
        return path + "/*";
    }

    private void me(RoutingContext ctx) {
        users.findById(Authentication.current(ctx).userId())
            .map(found -> found.orElseThrow(() ->
                new QuizException(ErrorCode.UNAUTHORIZED, "The account for this token no longer exists.")))
            .onSuccess(account -> {
                if (account.disabled()) {
                    ctx.fail(new QuizException(ErrorCode.ACCOUNT_DISABLED, "This account is disabled."));
                    return;
                }
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(AccountJson.ownerView(account).encode());
            })
            .onFailure(ctx::fail);
    }

    private static void securityHeaders(RoutingContext ctx) {
        ctx.response().headers()
            .set("X-Content-Type-Options", "nosniff")
            .set("X-Frame-Options", "DENY")
            .set("Referrer-Policy", "no-referrer")
            .set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
            .set(HttpHeaders.CACHE_CONTROL, "no-store");
        ctx.next();
    }
}
