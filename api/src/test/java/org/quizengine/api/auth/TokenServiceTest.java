package org.quizengine.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

class TokenServiceTest {
    static final String SECRET = "test-secret-that-is-at-least-32-bytes-long";
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final UUID USER_ID = UUID.fromString("7b0c5a2e-2f6e-4a43-9d59-0f7c1d4b8e21");
    private static final UUID SESSION_ID = UUID.fromString("0d3b7f5e-6a1c-4f4e-8a77-3c2b9e1d5f60");

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFreshTokenNamesTheUser() throws Exception {
        TokenService tokens = tokensAt(NOW);
        AccessToken token = tokens.issue(USER_ID, "alice", Role.MODERATOR, SESSION_ID);

        assertThat(await(tokens.verify(token.value()))).isEqualTo(new AuthenticatedUser(USER_ID, "alice", Role.MODERATOR, SESSION_ID));
        assertThat(token.expiresInSeconds()).isEqualTo(15 * 60);
        assertThat(token.expiresAt()).isEqualTo(NOW.plus(AuthOptions.DEFAULT_ACCESS_TOKEN_TTL));
    }

    @Test
    void theTokenCarriesTheDocumentedClaims() {
        AccessToken token = tokensAt(NOW).issue(USER_ID, "alice", Role.ADMIN, SESSION_ID);
        JsonObject header = decodePart(token.value(), 0);
        JsonObject claims = decodePart(token.value(), 1);

        assertThat(header.getString("alg")).isEqualTo("HS256");
        assertThat(claims.getString("sub")).isEqualTo(USER_ID.toString());
        assertThat(claims.getString("username")).isEqualTo("alice");
        assertThat(claims.getString("role")).isEqualTo("admin");
        assertThat(claims.getString("sid")).isEqualTo(SESSION_ID.toString());
        assertThat(claims.getString("iss")).isEqualTo("quizengine");
        assertThat(claims.getLong("iat")).isEqualTo(NOW.getEpochSecond());
        assertThat(claims.getLong("exp")).isEqualTo(NOW.getEpochSecond() + 900);
        assertThat(UUID.fromString(claims.getString("jti"))).isNotNull();
    }

    @Test
    void everyTokenHasItsOwnId() {
        TokenService tokens = tokensAt(NOW);

        assertThat(decodePart(tokens.issue(USER_ID, "alice", Role.USER, SESSION_ID).value(), 1).getString("jti"))
            .isNotEqualTo(decodePart(tokens.issue(USER_ID, "alice", Role.USER, SESSION_ID).value(), 1).getString("jti"));
    }

    @Test
    void aTokenIsValidUntilTheLastSecondBeforeItExpires() throws Exception {
        AccessToken token = tokensAt(NOW).issue(USER_ID, "alice", Role.USER, SESSION_ID);

        assertThat(await(tokensAt(NOW.plusSeconds(899)).verify(token.value())).username()).isEqualTo("alice");
        assertUnauthorized(tokensAt(NOW.plusSeconds(900)).verify(token.value()), "expired");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRejected() {
        AccessToken foreign = new TokenService(vertx,
            new AuthOptions().setJwtSecret("another-secret-that-is-also-32-bytes-long"), fixed(NOW))
            .issue(USER_ID, "alice", Role.ADMIN, SESSION_ID);

        assertUnauthorized(tokensAt(NOW).verify(foreign.value()), "signed with a key this server does not accept");
    }

    @Test
    void aKeyRotatesWithoutRefusingTokensOfEitherKey() throws Exception {
        String next = "the-next-signing-secret-also-32-bytes-long";
        AccessToken old = tokensAt(NOW).issue(USER_ID, "alice", Role.USER, SESSION_ID);
        assertThat(decodePart(old.value(), 0).getString("kid")).isEqualTo(keyId(SECRET));
        // Step 1: every node learns the next key while still signing with the current one.
        TokenService learning = new TokenService(vertx,
            new AuthOptions().setJwtSecret(SECRET).setAcceptedJwtSecrets(List.of(next)), fixed(NOW));
        // Step 2: every node signs with the next key and still accepts the previous one.
        TokenService rotated = new TokenService(vertx,
            new AuthOptions().setJwtSecret(next).setAcceptedJwtSecrets(List.of(SECRET)), fixed(NOW));
        AccessToken fresh = rotated.issue(USER_ID, "alice", Role.USER, SESSION_ID);

        assertThat(decodePart(fresh.value(), 0).getString("kid")).isEqualTo(keyId(next));
        AuthenticatedUser alice = new AuthenticatedUser(USER_ID, "alice", Role.USER, SESSION_ID);
        for (TokenService node : List.of(learning, rotated)) {
            assertThat(await(node.verify(old.value()))).isEqualTo(alice);
            assertThat(await(node.verify(fresh.value()))).isEqualTo(alice);
        }
        // A node that skipped step 1 would refuse the new tokens: why step 1 comes first.
        assertUnauthorized(tokensAt(NOW).verify(fresh.value()), "does not accept");
        // Step 3: the previous key goes once its tokens have expired.
        assertUnauthorized(new TokenService(vertx, new AuthOptions().setJwtSecret(next), fixed(NOW)).verify(old.value()),
            "does not accept");
    }

    @Test
    void aTokenWithoutAKeyIdIsCheckedAgainstEveryAcceptedKey() throws Exception {
        String next = "the-next-signing-secret-also-32-bytes-long";
        JsonObject claims = decodePart(tokensAt(NOW).issue(USER_ID, "alice", Role.USER, SESSION_ID).value(), 1);
        // As nodes signed before tokens named their key.
        String unnamed = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
                .setAlgorithm("HS256").setBuffer(Buffer.buffer(SECRET))))
            .generateToken(claims, new JWTOptions().setAlgorithm("HS256").setIssuer(AuthOptions.DEFAULT_ISSUER));
        assertThat(decodePart(unnamed, 0).containsKey("kid")).isFalse();

        TokenService rotated = new TokenService(vertx,
            new AuthOptions().setJwtSecret(next).setAcceptedJwtSecrets(List.of(SECRET)), fixed(NOW));
        assertThat(await(rotated.verify(unnamed)).userId()).isEqualTo(USER_ID);
        assertUnauthorized(new TokenService(vertx, new AuthOptions().setJwtSecret(next), fixed(NOW)).verify(unnamed), "invalid");
    }

    @Test
    void aTokenNamingAnAcceptedKeyButSignedWithAnotherIsRejected() {
        String[] foreign = new TokenService(vertx, new AuthOptions().setJwtSecret("another-secret-that-is-also-32-bytes-long"),
            fixed(NOW)).issue(USER_ID, "alice", Role.ADMIN, SESSION_ID).value().split("\\.");
        String claimsOurKey = encode(decodePart(foreign[0] + ".x", 0).put("kid", keyId(SECRET))) + "." + foreign[1] + "."
            + foreign[2];

        assertUnauthorized(tokensAt(NOW).verify(claimsOurKey), "invalid");
    }

    private static String keyId(String secret) {
        return TokenService.keyId(secret.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTokenFromAnotherIssuerIsRejected() {
        AccessToken foreign = new TokenService(vertx,
            new AuthOptions().setJwtSecret(SECRET).setIssuer("someone-else"), fixed(NOW))
            .issue(USER_ID, "alice", Role.USER, SESSION_ID);

        assertUnauthorized(tokensAt(NOW).verify(foreign.value()), "invalid");
    }

    @Test
    void aTokenWhoseClaimsWereEditedIsRejected() {
        String token = tokensAt(NOW).issue(USER_ID, "alice", Role.USER, SESSION_ID).value();
        String[] parts = token.split("\\.");
        JsonObject claims = decodePart(token, 1).put("role", "admin");
        String tampered = parts[0] + "." + encode(claims) + "." + parts[2];

        assertUnauthorized(tokensAt(NOW).verify(tampered), "invalid");
    }

    @Test
    void anUnsignedTokenIsRejected() {
        String token = tokensAt(NOW).issue(USER_ID, "alice", Role.USER, SESSION_ID).value();
        String[] parts = token.split("\\.");
        String unsigned = encode(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + parts[1] + ".";

        assertUnauthorized(tokensAt(NOW).verify(unsigned), "");
        assertUnauthorized(tokensAt(NOW).verify(encode(new JsonObject().put("alg", "none")) + "." + parts[1]), "");
    }

    @Test
    void garbageIsRejected() {
        TokenService tokens = tokensAt(NOW);

        assertUnauthorized(tokens.verify(null), "required");
        assertUnauthorized(tokens.verify(""), "required");
        assertUnauthorized(tokens.verify("not-a-jwt"), "");
        assertUnauthorized(tokens.verify("a.b.c"), "");
        assertUnauthorized(tokens.verify("' OR 1=1 --"), "");
    }

    private static TokenService tokensAt(Instant now) {
        return new TokenService(vertx, new AuthOptions().setJwtSecret(SECRET), fixed(now));
    }

    private static Clock fixed(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    private static void assertUnauthorized(Future<AuthenticatedUser> verification, String reasonContains) {
        Throwable failure = catchThrowable(() -> await(verification));

        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(QuizException.class);
        QuizException quiz = (QuizException) failure.getCause();
        assertThat(quiz.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(quiz.getMessage()).contains(reasonContains);
    }

    private static JsonObject decodePart(String token, int index) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8));
    }

    private static String encode(JsonObject json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void ttlComesFromTheOptions() {
        TokenService tokens = new TokenService(vertx,
            new AuthOptions().setJwtSecret(SECRET).setAccessTokenTtl(Duration.ofMinutes(2)), fixed(NOW));

        assertThat(tokens.issue(USER_ID, "alice", Role.USER, SESSION_ID).expiresInSeconds()).isEqualTo(120);
    }
}
