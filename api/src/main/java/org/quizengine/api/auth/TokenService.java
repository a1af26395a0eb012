package org.quizengine.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Issues and verifies HS256 access tokens. Knows nothing of HTTP, so the REST layer and the
 * WebSocket gateway verify tokens the same way.
 *
 * <p>Expiry is checked here against the injected clock rather than by vertx-auth-jwt, so that an
 * expired token gets its own clear reason and tests can move time instead of sleeping.
 */
public final class TokenService {
    public static final String ALGORITHM = "HS256";
    private static final String CLAIM_USERNAME = "username";
    private static final String CLAIM_ROLE = "role";
    private static final String CLAIM_SESSION = "sid";

    private final JWTAuth jwt;
    private final AuthOptions options;
    private final Clock clock;

    public TokenService(Vertx vertx, AuthOptions options) {
        this(vertx, options, Clock.systemUTC());
    }

    public TokenService(Vertx vertx, AuthOptions options, Clock clock) {
        this.options = options.validate();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(Buffer.buffer(options.jwtSecret())))
            .setJWTOptions(new JWTOptions()
                .setAlgorithm(ALGORITHM)
                .setIssuer(options.issuer())
                .setIgnoreExpiration(true)));
    }

    /** A fresh access token for this user's session {@code sessionId}, valid for the configured TTL from now. */
    public AccessToken issue(UUID userId, String username, Role role, UUID sessionId) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(options.accessTokenTtl());
        JsonObject claims = new JsonObject()
            .put("sub", userId.toString())
            .put(CLAIM_USERNAME, username)
            .put(CLAIM_ROLE, role.wireName())
            .put(CLAIM_SESSION, sessionId.toString())
            .put("iat", now.getEpochSecond())
            .put("exp", expiresAt.getEpochSecond())
            .put("jti", UUID.randomUUID().toString());
        String token = jwt.generateToken(claims, new JWTOptions()
            .setAlgorithm(ALGORITHM)
            .setIssuer(options.issuer()));
        return new AccessToken(token, Instant.ofEpochSecond(now.getEpochSecond()), Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }

    /**
     * The user a token speaks for. A missing, malformed, wrongly signed, foreign or expired token
     * fails with {@link ErrorCode#UNAUTHORIZED} and a reason a client can show. Whether its session
     * was revoked is not known here: {@link Sessions#authenticate} checks that too.
     */
    public Future<AuthenticatedUser> verify(String token) {
        if (token == null || token.isBlank()) {
            return unauthorized("An access token is required.");
        }
        Future<User> authenticated;
        try {
            authenticated = jwt.authenticate(new TokenCredentials(token));
        } catch (RuntimeException e) {
            return unauthorized("The access token is malformed.");
        }
        return authenticated.transform(result -> result.succeeded()
            ? toAuthenticatedUser(result.result())
            : unauthorized("The access token is invalid."));
    }

    private Future<AuthenticatedUser> toAuthenticatedUser(User user) {
        Object exp = user.get("exp");
        if (!(exp instanceof Number expiry)) {
            return unauthorized("The access token has no expiry.");
        }
        if (clock.instant().getEpochSecond() >= expiry.longValue()) {
            return unauthorized("The access token has expired.");
        }
        try {
            UUID userId = UUID.fromString(user.get("sub"));
            String username = Objects.requireNonNull(user.get(CLAIM_USERNAME));
            Role role = Role.fromWireName(user.get(CLAIM_ROLE));
            UUID sessionId = UUID.fromString(user.get(CLAIM_SESSION));
            return Future.succeededFuture(new AuthenticatedUser(userId, username, role, sessionId));
        } catch (RuntimeException e) {
            // Missing claims or values of the wrong type: signed by us, but not an access token
            // (or one from before sessions, which has no sid: its holder signs in again).
            return unauthorized("The access token does not name a user.");
        }
    }

    private static <T> Future<T> unauthorized(String reason) {
        return Future.failedFuture(new QuizException(ErrorCode.UNAUTHORIZED, reason));
    }
}
