package org.quizengine.api.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.quizengine.api.auth.AccountJson;
import org.quizengine.api.auth.AdminUserRoutes;
import org.quizengine.api.auth.AuthRouter;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.PasswordHasher;
import org.quizengine.api.auth.SessionRoutes;
import org.quizengine.api.auth.Sessions;
import org.quizengine.api.auth.UserRepository;
import org.quizengine.api.protection.BodyLimits;
import org.quizengine.api.protection.ClientAddress;
import org.quizengine.api.protection.Cors;
import org.quizengine.api.protection.LoginThrottle;
import org.quizengine.api.protection.ProtectionOptions;
import org.quizengine.api.protection.RateLimiter;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * The REST surface of a node: security headers on every response, {@code /health}, and under
 * {@code /api/v1} CORS, a size-limited body, cluster-wide rate limits, the auth routes (with login
 * throttling), and the routes behind a bearer token. How much of each is configured by
 * {@link ProtectionOptions}; the counters live in the Redis every node shares. Health (and the
 * node's metrics, mounted on {@link #router()} by the node) are outside {@code /api/v1}, so
 * neither CORS nor rate limits apply to them.
 *
 * <p>Features mount their routers under {@code /api/v1} with {@link #mountPublic} or
 * {@link #mountProtected}, or add single routes to {@link #protectedRouter()}; handlers behind the
 * token may call {@link Authentication#current}. Every request under {@code /api/v1} first passes
 * the {@link ApiContract} gate, so a route answers only once {@code openapi.yaml} describes it, and
 * its parameters and body have been checked against that description by the time its handler
 * runs. The document is served at {@code /openapi.yaml} and browsable at {@code /docs/}.
 */
public final class ApiRouter {
    public static final String API_PREFIX = "/api/v1";
    private static final List<Integer> ROUTER_ERRORS = List.of(400, 404, 405, 413, 415, 500);
    // Public routes get the default, ascending order as they are added; this stays behind them all.
    private static final int PROTECTED_ORDER = Integer.MAX_VALUE / 2;

    private final Router root;
    private final Router api;
    private final Router protectedRoutes;
    private final UserRepository users;
    private final BodyLimits bodyLimits;
    private final LoginThrottle loginThrottle;

    public ApiRouter(Vertx vertx, ApiContract contract, Sessions sessions, PasswordHasher hasher, UserRepository users,
                     HealthRoutes health, ProtectionOptions protection, RedisAPI redis) {
        this.users = Objects.requireNonNull(users, "users");
        bodyLimits = new BodyLimits(API_PREFIX, protection.maxBodyBytes());
        Authentication authentication = new Authentication(sessions);
        api = Router.router(vertx);
        // CORS first, so a browser can read even a 413 or 429; the body is read before the rate
        // limit, whose look-up in Redis must not leave the request body unread meanwhile.
        api.route().handler(new Cors(protection.cors()));
        api.route().handler(bodyLimits);
        api.route().handler(new RateLimiter(redis, sessions.tokens(), protection.rateLimits()));
        api.route().handler(contract.gate());
        // Last, so failures in any sub-router mounted later, with or without its own handler, end here.
        api.route().last().failureHandler(Problems::handleFailure);
        loginThrottle = new LoginThrottle(redis, protection.loginThrottle());
        mountPublic(AuthRouter.MOUNT_PATH, new AuthRouter(vertx, hasher, sessions, users, loginThrottle, authentication,
            contract.signedInGate()).router());

        protectedRoutes = Router.router(vertx);
        protectedRoutes.route().handler(authentication);
        protectedRoutes.route().handler(contract.signedInGate());
        protectedRoutes.route().last().failureHandler(Problems::handleFailure);
        protectedRoutes.get("/me").handler(this::me);
        new SessionRoutes(sessions, loginThrottle).mount(protectedRoutes);
        new AdminUserRoutes(sessions, users).mount(protectedRoutes);
        api.route("/*").order(PROTECTED_ORDER).subRouter(protectedRoutes);

        root = Router.router(vertx);
        root.route().handler(ApiRouter::securityHeaders);
        root.route().handler(new ClientAddress(protection.trustedProxies()));
        root.route().last().failureHandler(Problems::handleFailure);
        root.route(HealthRoutes.MOUNT_PATH + "/*").subRouter(health.router());
        new ApiDocs(contract).mount(root);
        WebClient.mount(root);
        root.route(API_PREFIX + "/*").subRouter(api);
        // Requests that match no route, or fail outside any route, still get a problem body.
        ROUTER_ERRORS.forEach(status -> root.errorHandler(status, Problems::handleFailure));
    }

    /** The throttle on password attempts, for routes mounted later that check a password too. */
    public LoginThrottle loginThrottle() {
        return loginThrottle;
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
     * Gives the routes at {@code /api/v1 + path} and below their own body limit instead of the
     * configured one (e.g. {@code withBodyLimit("/questions/import", 5 << 20)}).
     */
    public ApiRouter withBodyLimit(String path, long bytes) {
        bodyLimits.override(path, bytes);
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
