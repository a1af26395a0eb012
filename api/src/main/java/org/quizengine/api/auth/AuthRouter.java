package org.quizengine.api.auth;

import io.vertx.core.Future;
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
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * {@code POST /register} and {@code POST /login}, mounted by {@code ApiRouter} at {@code /api/v1/auth}.
 * Expects a {@code BodyHandler} in front of it. Both answer with the user's public view and an
 * access token. Logins are throttled by {@link LoginThrottle}: a throttled attempt is answered 429
 * LOGIN_THROTTLED with {@code Retry-After} before the password is looked at.
 */
public final class AuthRouter {
    public static final String MOUNT_PATH = "/auth";
    private static final String INVALID_CREDENTIALS = "The login or password is wrong.";

    private final Router router;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final UserRepository users;
    private final LoginThrottle throttle;

    public AuthRouter(Vertx vertx, PasswordHasher hasher, TokenService tokens, UserRepository users,
                      LoginThrottle throttle) {
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.users = Objects.requireNonNull(users, "users");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.router = Router.router(vertx);
        router.post("/register").handler(this::register);
        router.post("/login").handler(this::login);
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
        String address = ClientAddress.of(ctx);

        throttle.retryAfter(name, address)
            .compose(wait -> wait.isZero() ? authenticate(name, (String) password) : throttled(ctx, wait))
            .compose(
                account -> throttle.succeeded(name, address).map(account),
                failure -> isInvalidCredentials(failure)
                    ? throttle.failed(name, address).compose(counted -> Future.failedFuture(failure))
                    : Future.failedFuture(failure))
            .onSuccess(account -> sendSession(ctx, 200, account))
            .onFailure(ctx::fail);
    }

    private Future<UserAccount> authenticate(String login, String password) {
        return users.findByLogin(login)
            .compose(found -> found.isPresent()
                ? checkPassword(found.get(), password)
                // Same work, same answer as a wrong password: no telling which accounts exist.
                : hasher.verifyAgainstDummy(password).compose(ignored -> invalidCredentials()));
    }

    private static Future<UserAccount> throttled(RoutingContext ctx, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return Future.failedFuture(new QuizException(ErrorCode.LOGIN_THROTTLED,
            "Too many failed logins; try again in " + seconds + " s."));
    }

    private static boolean isInvalidCredentials(Throwable failure) {
        return failure instanceof QuizException quiz && quiz.code() == ErrorCode.INVALID_CREDENTIALS;
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

    private void sendSession(RoutingContext ctx, int status, UserAccount account) {
        AccessToken token = tokens.issue(account.id(), account.username(), account.role());
        ctx.response()
            .setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(AccountJson.session(account, token).encode());
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
