package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.TestNode.registration;
import static org.quizengine.api.http.TestNode.uniqueName;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quizengine.api.auth.AuthOptions;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.Role;
import org.quizengine.api.auth.TokenService;

/** Registration, login, tokens and roles over real HTTP against real PostgreSQL and Redis. */
@ExtendWith(VertxExtension.class)
class AuthApiTest {
    private static final String REGISTER = "/api/v1/auth/register";
    private static final String LOGIN = "/api/v1/auth/login";
    private static final String ME = "/api/v1/me";
    private static final String PASSWORD = "correct horse battery";
    /** For tokens minted directly by a test: refused before their session would matter. */
    private static final UUID SESSION_ID = UUID.randomUUID();

    @TempDir
    static Path dataDir;
    static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.start(vertx, dataDir);
        // What a feature module would do: add routes behind the token, some behind a role.
        Router.protectedRoutes(node.api);
    }

    @AfterAll
    static void stop() {
        node.stop();
    }

    @Test
    void registerThenLoginThenReadMyAccount() {
        String username = uniqueName("Alice");
        String email = username.toLowerCase() + "@Example.com";

        HttpResponse<Buffer> registered = node.postJson(REGISTER,
            registration(username, email, PASSWORD).put("displayName", "Alice L."));

        assertThat(registered.statusCode()).isEqualTo(201);
        assertThat(registered.getHeader("Content-Type")).startsWith("application/json");
        JsonObject session = registered.bodyAsJsonObject();
        JsonObject user = session.getJsonObject("user");
        assertThat(user.fieldNames()).containsExactlyInAnyOrder("id", "username", "displayName", "role", "createdAt");
        assertThat(UUID.fromString(user.getString("id"))).isNotNull();
        assertThat(user.getString("username")).isEqualTo(username);
        assertThat(user.getString("displayName")).isEqualTo("Alice L.");
        assertThat(user.getString("role")).isEqualTo("user");
        assertThat(Instant.parse(user.getString("createdAt"))).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(session.getString("tokenType")).isEqualTo("Bearer");
        assertThat(session.getLong("expiresIn")).isEqualTo(900L);
        assertThat(session.getString("accessToken")).isNotBlank();

        HttpResponse<Buffer> byUsername = node.postJson(LOGIN, login(username.toUpperCase(), PASSWORD));
        HttpResponse<Buffer> byEmail = node.postJson(LOGIN, login(email.toUpperCase(), PASSWORD));

        assertThat(byUsername.statusCode()).isEqualTo(200);
        assertThat(byEmail.statusCode()).isEqualTo(200);
        assertThat(byUsername.bodyAsJsonObject().getJsonObject("user")).isEqualTo(user);
        assertThat(byEmail.bodyAsJsonObject().getJsonObject("user")).isEqualTo(user);

        HttpResponse<Buffer> me = node.get(ME, byEmail.bodyAsJsonObject().getString("accessToken"));

        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.bodyAsJsonObject()).isEqualTo(user.copy().put("email", email).putNull("avatarUrl"));
    }

    @Test
    void theDisplayNameIsOptional() {
        JsonObject user = node.register(uniqueName("nodisplay"), uniqueName("nd") + "@example.com", PASSWORD)
            .getJsonObject("user");

        assertThat(user.containsKey("displayName")).isTrue();
        assertThat(user.getValue("displayName")).isNull();
    }

    @Test
    void passwordsAreStoredAsArgon2idHashes() {
        String username = uniqueName("hashed");
        node.register(username, username + "@example.com", PASSWORD);

        String stored = await(node.stores.pool().preparedQuery("SELECT password_hash FROM users WHERE username = $1")
            .execute(Tuple.of(username))).iterator().next().getString(0);

        assertThat(stored).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain(PASSWORD);
    }

    static Stream<Arguments> invalidRegistrations() {
        JsonObject valid = registration("valid-name", "valid@example.com", PASSWORD);
        return Stream.of(
            Arguments.of("missing username", copyWithout(valid, "username"), List.of("username")),
            Arguments.of("short username", valid.copy().put("username", "ab"), List.of("username")),
            Arguments.of("long username", valid.copy().put("username", "a".repeat(25)), List.of("username")),
            Arguments.of("username starting with _", valid.copy().put("username", "_alice"), List.of("username")),
            Arguments.of("username with a space", valid.copy().put("username", "al ice"), List.of("username")),
            Arguments.of("SQL-looking username", valid.copy().put("username", "x' OR '1'='1"), List.of("username")),
            Arguments.of("numeric username", valid.copy().put("username", 12345), List.of("username")),
            Arguments.of("missing email", copyWithout(valid, "email"), List.of("email")),
            Arguments.of("email without @", valid.copy().put("email", "alice.example.com"), List.of("email")),
            Arguments.of("email over 254", valid.copy().put("email", "a".repeat(64) + "@" + "b".repeat(190) + ".com"), List.of("email")),
            Arguments.of("email as object", valid.copy().put("email", new JsonObject()), List.of("email")),
            Arguments.of("missing password", copyWithout(valid, "password"), List.of("password")),
            Arguments.of("short password", valid.copy().put("password", "1234567"), List.of("password")),
            Arguments.of("long password", valid.copy().put("password", "p".repeat(129)), List.of("password")),
            Arguments.of("password as array", valid.copy().put("password", new JsonArray().add("x")), List.of("password")),
            Arguments.of("long display name", valid.copy().put("displayName", "d".repeat(41)), List.of("displayName")),
            Arguments.of("display name with a newline", valid.copy().put("displayName", "a\nb"), List.of("displayName")),
            Arguments.of("display name as number", valid.copy().put("displayName", 7), List.of("displayName")),
            Arguments.of("everything wrong", new JsonObject().put("username", true).put("email", "x").put("password", ""),
                List.of("username", "email", "password")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRegistrations")
    void anInvalidRegistrationNamesEveryBadField(String name, JsonObject body, List<String> fields) {
        HttpResponse<Buffer> response = node.postJson(REGISTER, body);

        assertProblem(response, 422, "VALIDATION_FAILED");
        JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors");
        List<String> reported = new ArrayList<>();
        errors.forEach(error -> reported.add(((JsonObject) error).getString("field")));
        assertThat(reported).containsExactlyElementsOf(fields);
        errors.forEach(error -> assertThat(((JsonObject) error).getString("message")).isNotBlank());
    }

    @Test
    void anInvalidLoginNamesTheBadFields() {
        HttpResponse<Buffer> response = node.postJson(LOGIN, new JsonObject().put("login", 5));

        assertProblem(response, 422, "VALIDATION_FAILED");
        assertThat(response.bodyAsJsonObject().getJsonArray("errors").stream()
            .map(error -> ((JsonObject) error).getString("field"))).containsExactly("login", "password");
    }

    static Stream<Arguments> unreadableBodies() {
        return Stream.of(
            Arguments.of("truncated JSON", "application/json", "{\"username\": \"alice\""),
            Arguments.of("not JSON at all", "application/json", "username=alice&password=x"),
            Arguments.of("a JSON array", "application/json", "[\"alice\"]"),
            Arguments.of("a JSON string", "application/json", "\"alice\""),
            Arguments.of("JSON null", "application/json", "null"),
            Arguments.of("an empty body", "application/json", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableBodies")
    void anUnreadableBodyIsMalformed(String name, String contentType, String body) {
        assertProblem(node.postRaw(REGISTER, contentType, body), 400, "MALFORMED_MESSAGE");
        assertProblem(node.postRaw(LOGIN, contentType, body), 400, "MALFORMED_MESSAGE");
    }

    static Stream<Arguments> otherContentTypes() {
        return Stream.of(
            Arguments.of("form content type", "application/x-www-form-urlencoded", "username=alice"),
            Arguments.of("text content type", "text/plain", "{\"username\": \"alice\"}"),
            Arguments.of("multipart form", "multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice\r\n--b--\r\n"),
            Arguments.of("JSON in another charset", "application/json; charset=ISO-8859-1", "{\"username\": \"alice\"}"),
            Arguments.of("no content type", null, "{\"username\": \"alice\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherContentTypes")
    void aBodyThatIsNotSentAsJsonIsAnUnsupportedMediaType(String name, String contentType, String body) {
        assertProblem(node.postRaw(REGISTER, contentType, body), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(node.postRaw(LOGIN, contentType, body), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/JSON", "Application/Json; charset=UTF-8", "application/json;charset=\"utf-8\""})
    void mediaTypesAndCharsetNamesAreCaseInsensitive(String contentType) {
        String username = uniqueName("case");
        HttpResponse<Buffer> response = node.postRaw(REGISTER, contentType,
            registration(username, username + "@example.com", PASSWORD).encode());

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    }

    @Test
    void jsonWithACharsetParameterIsAccepted() {
        String username = uniqueName("charset");
        HttpResponse<Buffer> response = node.postRaw(REGISTER, "application/json; charset=UTF-8",
            registration(username, username + "@example.com", PASSWORD).encode());

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void aBodyOver16KiBIsRefusedBeforeItIsRead() {
        String username = uniqueName("huge");
        JsonObject huge = registration(username, username + "@example.com", PASSWORD).put("padding", "x".repeat(17 * 1024));

        HttpResponse<Buffer> refused = node.postJson(REGISTER, huge);
        assertProblem(refused, 413, "BODY_TOO_LARGE");
        assertThat(refused.bodyAsJsonObject().getString("detail")).contains("16384 bytes");
        // Nothing was created from it.
        assertThat(node.postJson(LOGIN, login(username, PASSWORD)).statusCode()).isEqualTo(401);
    }

    @Test
    void aBodyJustUnder16KiBIsRead() {
        String username = uniqueName("big");
        JsonObject body = registration(username, username + "@example.com", PASSWORD);
        body.put("padding", "x".repeat(16 * 1024 - body.encode().length() - 20));

        assertThat(node.postJson(REGISTER, body).statusCode()).isEqualTo(201);
    }

    @Test
    void sqlLookingValuesAreJustData() {
        String username = uniqueName("bobby");
        String password = "' OR '1'='1'; DROP TABLE users; --";
        String displayName = "Robert'); DROP TABLE users;--";
        HttpResponse<Buffer> registered = node.postJson(REGISTER,
            registration(username, username + "@example.com", password).put("displayName", displayName));

        assertThat(registered.statusCode()).isEqualTo(201);
        assertThat(registered.bodyAsJsonObject().getJsonObject("user").getString("displayName")).isEqualTo(displayName);
        assertThat(node.postJson(LOGIN, login(username, password)).statusCode()).isEqualTo(200);
        assertProblem(node.postJson(LOGIN, login("' OR '1'='1", "' OR '1'='1")), 401, "INVALID_CREDENTIALS");
        assertProblem(node.postJson(LOGIN, login(username + "' --", "anything")), 401, "INVALID_CREDENTIALS");
        assertProblem(node.postJson(LOGIN, login("x@x.x' OR 1=1 --", "anything")), 401, "INVALID_CREDENTIALS");
        // The table is still there, with the user in it.
        assertThat(await(node.users.findByUsername(username))).isPresent();
    }

    @Test
    void aTakenUsernameIsRefusedWhateverItsCase() {
        String username = uniqueName("Carol");
        node.register(username, username + "@example.com", PASSWORD);

        HttpResponse<Buffer> again = node.postJson(REGISTER,
            registration(username.toUpperCase(), uniqueName("other") + "@example.com", PASSWORD));

        assertProblem(again, 409, "USERNAME_TAKEN");
    }

    @Test
    void aTakenEmailIsRefusedWhateverItsCase() {
        String username = uniqueName("dave");
        node.register(username, username + "@example.com", PASSWORD);

        HttpResponse<Buffer> again = node.postJson(REGISTER,
            registration(uniqueName("other"), username.toUpperCase() + "@EXAMPLE.COM", PASSWORD));

        assertProblem(again, 409, "EMAIL_TAKEN");
    }

    @Test
    void twoRegistrationsRacingForOneNameCreateOneAccount() {
        String username = uniqueName("race");
        List<Future<HttpResponse<Buffer>>> attempts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            attempts.add(node.client.post(REGISTER)
                .sendJsonObject(registration(username, uniqueName("race") + "@example.com", PASSWORD)));
        }
        await(Future.join(attempts));

        assertThat(attempts.stream().map(attempt -> attempt.result().statusCode()))
            .containsExactlyInAnyOrder(201, 409, 409, 409);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() {
        String username = uniqueName("erin");
        node.register(username, username + "@example.com", PASSWORD);

        HttpResponse<Buffer> wrongPassword = node.postJson(LOGIN, login(username, "not the password"));
        HttpResponse<Buffer> unknownUser = node.postJson(LOGIN, login(uniqueName("nobody"), "not the password"));
        HttpResponse<Buffer> unknownEmail = node.postJson(LOGIN, login(uniqueName("nobody") + "@example.com", PASSWORD));

        assertProblem(wrongPassword, 401, "INVALID_CREDENTIALS");
        for (HttpResponse<Buffer> other : List.of(unknownUser, unknownEmail)) {
            assertProblem(other, 401, "INVALID_CREDENTIALS");
            assertThat(other.bodyAsJsonObject().getString("detail"))
                .isEqualTo(wrongPassword.bodyAsJsonObject().getString("detail"));
        }
    }

    @Test
    void aDisabledAccountCannotLogInButOnlyTheOwnerLearnsWhy() {
        String username = uniqueName("frank");
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);
        UUID id = UUID.fromString(session.getJsonObject("user").getString("id"));
        await(node.users.setDisabled(id, true));

        assertProblem(node.postJson(LOGIN, login(username, PASSWORD)), 403, "ACCOUNT_DISABLED");
        assertProblem(node.postJson(LOGIN, login(username, "not the password")), 401, "INVALID_CREDENTIALS");
        assertProblem(node.get(ME, session.getString("accessToken")), 403, "ACCOUNT_DISABLED");
    }

    @Test
    void meNeedsAToken() {
        HttpResponse<Buffer> response = node.get(ME, null);

        assertProblem(response, 401, "UNAUTHORIZED");
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void otherAuthorizationSchemesAreRefused() {
        HttpResponse<Buffer> basic = await(node.client.get(ME).putHeader("Authorization", "Basic YWxpY2U6cGFzc3dvcmQ=").send());
        HttpResponse<Buffer> empty = await(node.client.get(ME).putHeader("Authorization", "Bearer ").send());

        assertProblem(basic, 401, "UNAUTHORIZED");
        assertProblem(empty, 401, "UNAUTHORIZED");
    }

    @Test
    void anExpiredTokenIsRefused() {
        String username = uniqueName("grace");
        UUID id = UUID.fromString(node.register(username, username + "@example.com", PASSWORD)
            .getJsonObject("user").getString("id"));
        // Issued by a node whose clock says it was 16 minutes ago: expired a minute ago.
        TokenService past = new TokenService(node.vertx, node.authOptions,
            Clock.fixed(Instant.now().minus(Duration.ofMinutes(16)), ZoneOffset.UTC));
        String expired = past.issue(id, username, Role.USER, SESSION_ID).value();

        HttpResponse<Buffer> response = node.get(ME, expired);

        assertProblem(response, 401, "UNAUTHORIZED");
        assertThat(response.bodyAsJsonObject().getString("detail")).contains("expired");
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
    }

    @Test
    void aTamperedTokenIsRefused() {
        String username = uniqueName("heidi");
        String token = node.register(username, username + "@example.com", PASSWORD).getString("accessToken");
        String[] parts = token.split("\\.");
        JsonObject claims = new JsonObject(Buffer.buffer(java.util.Base64.getUrlDecoder().decode(parts[1]))).put("role", "admin");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
            .encodeToString(claims.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        String foreign = new TokenService(node.vertx, new AuthOptions().setJwtSecret("a-different-secret-of-at-least-32-bytes"))
            .issue(UUID.randomUUID(), username, Role.ADMIN, SESSION_ID).value();

        assertProblem(node.get(ME, tampered), 401, "UNAUTHORIZED");
        assertProblem(node.get(Router.ADMIN_ONLY, tampered), 401, "UNAUTHORIZED");
        assertProblem(node.get(ME, foreign), 401, "UNAUTHORIZED");
        assertProblem(node.get(ME, "garbage"), 401, "UNAUTHORIZED");
    }

    @Test
    void aTokenForADeletedAccountNoLongerReadsIt() {
        String username = uniqueName("ivan");
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);
        await(node.stores.pool().preparedQuery("DELETE FROM users WHERE username = $1").execute(Tuple.of(username)));

        assertProblem(node.get(ME, session.getString("accessToken")), 401, "UNAUTHORIZED");
    }

    @Test
    void rolesGateRoutes() {
        String username = uniqueName("judy");
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);
        String userToken = session.getString("accessToken");
        UUID id = UUID.fromString(session.getJsonObject("user").getString("id"));

        assertProblem(node.get(Router.ADMIN_ONLY, userToken), 403, "FORBIDDEN");
        assertProblem(node.get(Router.MODERATORS, userToken), 403, "FORBIDDEN");

        await(node.users.setRole(id, Role.MODERATOR));
        String moderatorToken = node.postJson(LOGIN, login(username, PASSWORD)).bodyAsJsonObject().getString("accessToken");
        assertThat(node.get(Router.MODERATORS, moderatorToken).bodyAsString()).isEqualTo("moderator " + username);
        assertProblem(node.get(Router.ADMIN_ONLY, moderatorToken), 403, "FORBIDDEN");

        await(node.users.setRole(id, Role.ADMIN));
        JsonObject adminLogin = node.postJson(LOGIN, login(username, PASSWORD)).bodyAsJsonObject();
        String adminToken = adminLogin.getString("accessToken");
        assertThat(adminLogin.getJsonObject("user").getString("role")).isEqualTo("admin");
        assertThat(node.get(Router.ADMIN_ONLY, adminToken).statusCode()).isEqualTo(200);
        assertThat(node.get(Router.MODERATORS, adminToken).statusCode()).isEqualTo(200);
    }

    static JsonObject login(String login, String password) {
        return new JsonObject().put("login", login).put("password", password);
    }

    static void assertProblem(HttpResponse<Buffer> response, int status, String code) {
        assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
        assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
        JsonObject problem = response.bodyAsJsonObject();
        assertThat(problem.getString("code")).isEqualTo(code);
        assertThat(problem.getInteger("status")).isEqualTo(status);
        assertThat(problem.getString("title")).isEqualTo(code);
        assertThat(problem.getString("type")).isEqualTo("urn:quizengine:error:" + code.toLowerCase());
        assertThat(problem.getString("detail")).isNotBlank();
    }

    /** A 422 VALIDATION_FAILED whose {@code errors} name exactly {@code fields}, in order, each with a message. */
    static void assertFieldErrors(HttpResponse<Buffer> response, String... fields) {
        assertProblem(response, 422, "VALIDATION_FAILED");
        JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors");
        assertThat(errors).as("errors of %s", response.bodyAsString()).isNotNull();
        assertThat(errors.stream().map(e -> ((JsonObject) e).getString("field")).toList())
            .as(response.bodyAsString()).containsExactly(fields);
        errors.forEach(error -> assertThat(((JsonObject) error).getString("message")).isNotBlank());
    }

    private static JsonObject copyWithout(JsonObject json, String field) {
        JsonObject copy = json.copy();
        copy.remove(field);
        return copy;
    }

    /** Test-only routes that show how a feature mounts authenticated, role-gated endpoints. */
    static final class Router {
        static final String ADMIN_ONLY = "/api/v1/test/admin-only";
        static final String MODERATORS = "/api/v1/test/moderators";

        static void protectedRoutes(ApiRouter api) {
            api.protectedRouter().get("/test/admin-only")
                .handler(Authentication.requireRole(Role.ADMIN))
                .handler(ctx -> ctx.end("admin " + Authentication.current(ctx).username()));
            api.protectedRouter().get("/test/moderators")
                .handler(Authentication.requireRole(Role.MODERATOR))
                .handler(ctx -> ctx.end("moderator " + Authentication.current(ctx).username()));
        }
    }
}
