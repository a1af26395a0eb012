package org.quizengine.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.JsonBodies;
import org.quizengine.api.http.Problems;
import org.quizengine.api.http.ValidationException;
import org.quizengine.api.protection.ClientAddress;
import org.quizengine.api.protection.LoginThrottle;
import org.quizengine.api.protection.LoginThrottle.Subject;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * {@code POST /register}, {@code /login} and {@code /refresh}, and behind the bearer token
 * {@code /logout} and {@code /logout-all}; mounted by {@code ApiRouter} at {@code /api/v1/auth}.
 * Expects a {@code BodyHandler} in front of it. Register, login and refresh answer with the user's
 * public view, an access token and a refresh token (see {@link Sessions}). Logins are throttled by
 * {@link LoginThrottle}: a throttled attempt is answered 429 LOGIN_THROTTLED with
 * {@code Retry-After} before the password is looked at.
 */
public final class AuthRouter {
    public static final String MOUNT_PATH = "/auth";
    private static final String INVALID_CREDENTIALS = "The login or password is wrong.";

    private final Router router;
    private final PasswordHasher hasher;
    private final Sessions sessions;
    private final UserRepository users;
    private final LoginThrottle throttle;

    public AuthRouter(Vertx vertx, PasswordHasher hasher, Sessions sessions, UserRepository users,
                      LoginThrottle throttle, Authentication authentication, Handler<RoutingContext> signedInGate) {
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.users = Objects.requireNonNull(users, "users");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.router = Router.router(vertx);
        router.post("/register").handler(this::register);
        router.post("/login").handler(this::login);
        router.post("/refresh").handler(this::refresh);
        router.post("/logout").handler(authentication).handler(signedInGate).handler(this::logout);
        router.post("/logout-all").handler(authentication).handler(signedInGate).handler(this::logoutAll);
        router.route().failureHandler(Problems::handleFailure);
    }

    public Router router() {
        return router;
    }

    private void register(RoutingContext ctx) {
        JsonObject body = JsonBodies.requireObject(ctx);
        Object username = body.getValue("username");
        Object email = body.getValue("email");
        Object password = body.getValue("password");
        Object displayName = body.getValue("displayName");
        requireValid(AccountRules.checkRegistration(username, email, password, displayName));

        hasher.hash((String) password)
            .compose(hash -> users.create(new NewUser((String) username, (String) email, hash, Role.USER, (String) displayName)))
            .onSuccess(account -> sendSession(ctx, 201, account))
            .onFailure(ctx::fail);
    }

    private void login(RoutingContext ctx) {
        JsonObject body = JsonBodies.requireObject(ctx);
        Object login = body.getValue("login");
        Object password = body.getValue("password");
        requireValid(AccountRules.checkLogin(login, password));
        String name = (String) login;

        // The attempt is counted against the account (by either of its names) before the password
        // is checked, and given back if it was right.
        users.findByLogin(name)
            .compose(found -> found.isPresent()
                ? throttle.attempt(ctx, Subject.account(found.get().id()),
                    () -> checkPassword(found.get(), (String) password))
                // Same work, same answer as a wrong password: no telling which accounts exist.
                : throttle.attempt(ctx, Subject.unknown(name),
                    () -> hasher.verifyAgainstDummy((String) password).compose(ignored -> invalidCredentials())))
            .onSuccess(account -> sendSession(ctx, 200, account))
            .onFailure(ctx::fail);
    }

    private Future<UserAccount> checkPassword(UserAccount account, String password) {
        return hasher.verify(password, account.passwordHash()).compose(matches -> {
            if (!matches) {
                return invalidCredentials();
            }
            // Only after the password matched, so the state of an account is not told to strangers.
            if (account.disabled()) {
                return Future.failedFuture(new QuizException(ErrorCode.ACCOUNT_DISABLED, "This account is disabled."));
            }
            return Future.succeededFuture(account);
        });
    }

    private void refresh(RoutingContext ctx) {
        JsonObject body = JsonBodies.requireObject(ctx);
        Object token = body.getValue("refreshToken");
        if (!(token instanceof String text) || text.isEmpty()) {
            throw new ValidationException(List.of(new FieldError("refreshToken",
                token == null ? "is required" : "must be a non-empty string")));
        }
        sessions.refresh(text, clientOf(ctx))
            .onSuccess(issued -> send(ctx, 200, issued))
            .onFailure(ctx::fail);
    }

    private void logout(RoutingContext ctx) {
        sessions.revoke(Authentication.current(ctx).sessionId())
            .onSuccess(v -> ctx.response().setStatusCode(204).end())
            .onFailure(ctx::fail);
    }

    private void logoutAll(RoutingContext ctx) {
        sessions.logoutEverywhere(Authentication.current(ctx).userId())
            .onSuccess(v -> ctx.response().setStatusCode(204).end())
            .onFailure(ctx::fail);
    }

    private void sendSession(RoutingContext ctx, int status, UserAccount account) {
        sessions.open(account, clientOf(ctx))
            .onSuccess(issued -> send(ctx, status, issued))
            .onFailure(ctx::fail);
    }

    private static void send(RoutingContext ctx, int status, Sessions.Issued issued) {
        ctx.response()
            .setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(AccountJson.session(issued).encode());
    }

    private static Sessions.Client clientOf(RoutingContext ctx) {
        // The client's address as the rate limits see it: behind a trusted proxy, the forwarded one.
        return new Sessions.Client(ctx.request().getHeader(HttpHeaders.USER_AGENT), ClientAddress.of(ctx));
    }

    private static void requireValid(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    private static <T> Future<T> invalidCredentials() {
        return Future.failedFuture(new QuizException(ErrorCode.INVALID_CREDENTIALS, INVALID_CREDENTIALS));
    }
}
