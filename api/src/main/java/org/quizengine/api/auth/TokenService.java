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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Issues and verifies HS256 access tokens. Knows nothing of HTTP, so the REST layer and the
 * WebSocket gateway verify tokens the same way.
 *
 * <p>Tokens name their key in the header's {@code kid}: the first 16 hex digits of the key's
 * SHA-256, so every node derives the same id from the same secret and nothing needs configuring.
 * Tokens are signed with the signing key and accepted with it or with any of the accepted keys, so a
 * key rotates without anyone signing in again (docs/sessions.md). A token without a {@code kid}
 * (signed before keys had ids) is tried against every key.
 *
 * <p>Expiry is checked here against the injected clock rather than by vertx-auth-jwt, so that an
 * expired token gets its own clear reason and tests can move time instead of sleeping.
 */
public final class TokenService {
    public static final String ALGORITHM = "HS256";
    private static final String CLAIM_USERNAME = "username";
    private static final String CLAIM_ROLE = "role";
    private static final String CLAIM_SESSION = "sid";

    private static final int KEY_ID_HEX_DIGITS = 16;

    private final JWTAuth signer;
    private final JsonObject signingHeader;
    /** Every key tokens are accepted with, by id; the signing key first. */
    private final Map<String, JWTAuth> verifiers = new LinkedHashMap<>();
    private final AuthOptions options;
    private final Clock clock;

    public TokenService(Vertx vertx, AuthOptions options) {
        this(vertx, options, Clock.systemUTC());
    }

    public TokenService(Vertx vertx, AuthOptions options, Clock clock) {
        this.options = options.validate();
        this.clock = Objects.requireNonNull(clock, "clock");
        byte[] signingKey = options.jwtSecret();
        this.signer = jwt(vertx, signingKey);
        this.signingHeader = new JsonObject().put("kid", keyId(signingKey));
        verifiers.put(keyId(signingKey), signer);
        for (byte[] accepted : options.acceptedJwtSecrets()) {
            verifiers.putIfAbsent(keyId(accepted), jwt(vertx, accepted));
        }
    }

    private JWTAuth jwt(Vertx vertx, byte[] key) {
        return JWTAuth.create(vertx, new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(Buffer.buffer(key)))
            .setJWTOptions(new JWTOptions()
                .setAlgorithm(ALGORITHM)
                .setIssuer(options.issuer())
                .setIgnoreExpiration(true)));
    }

    /** The id tokens signed with {@code key} carry: safe to show, it tells nothing of the key. */
    public static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, KEY_ID_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
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
        String token = signer.generateToken(claims, new JWTOptions()
            .setAlgorithm(ALGORITHM)
            .setIssuer(options.issuer())
            .setHeader(signingHeader));
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
        String keyId;
        try {
            keyId = keyIdOf(token);
        } catch (RuntimeException e) {
            return unauthorized("The access token is malformed.");
        }
        List<JWTAuth> candidates;
        if (keyId == null) {
            candidates = List.copyOf(verifiers.values());
        } else if (verifiers.containsKey(keyId)) {
            candidates = List.of(verifiers.get(keyId));
        } else {
            return unauthorized("The access token is signed with a key this server does not accept.");
        }
        return authenticate(token, candidates, 0).transform(result -> result.succeeded()
            ? toAuthenticatedUser(result.result())
            : unauthorized(result.cause() instanceof IllegalArgumentException ? "The access token is malformed."
                : "The access token is invalid."));
    }

    /** The first of {@code candidates} from {@code index} on that accepts the token. */
    private static Future<User> authenticate(String token, List<JWTAuth> candidates, int index) {
        Future<User> tried;
        try {
            tried = candidates.get(index).authenticate(new TokenCredentials(token));
        } catch (RuntimeException e) {
            return Future.failedFuture(new IllegalArgumentException(e));
        }
        return index + 1 == candidates.size() ? tried
            : tried.recover(refused -> authenticate(token, candidates, index + 1));
    }

    /** The {@code kid} of the token's header; {@code null} if it has none. Throws if the header cannot be read. */
    private static String keyIdOf(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("no header");
        }
        JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
            StandardCharsets.UTF_8));
        Object kid = header.getValue("kid");
        if (kid != null && !(kid instanceof String)) {
            throw new IllegalArgumentException("kid is not a string");
        }
        return (String) kid;
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
