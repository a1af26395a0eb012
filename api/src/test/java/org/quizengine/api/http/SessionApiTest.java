package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.AuthApiTest.assertProblem;
import static org.quizengine.api.http.TestNode.uniqueName;
import static org.quizengine.api.testing.StoreFixtures.await;
import static org.quizengine.api.testing.StoreFixtures.failureOf;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.auth.Role;
import org.quizengine.api.auth.SessionRepository;
import org.quizengine.api.auth.Sessions;
import org.quizengine.api.protection.ProtectionOptions;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.slf4j.LoggerFactory;

/**
 * Sessions as a REST client lives them, over real HTTP, PostgreSQL and Redis: both tokens at sign-in,
 * refresh rotation and reuse detection, logout on one node refused on the others, admin disable,
 * password change, and each user's own list of sessions.
 */
@ExtendWith(VertxExtension.class)
class SessionApiTest {
    private static final String REGISTER = "/api/v1/auth/register";
    private static final String LOGIN = "/api/v1/auth/login";
    private static final String REFRESH = "/api/v1/auth/refresh";
    private static final String LOGOUT = "/api/v1/auth/logout";
    private static final String LOGOUT_ALL = "/api/v1/auth/logout-all";
    private static final String ME = "/api/v1/me";
    private static final String MY_SESSIONS = "/api/v1/me/sessions";
    private static final String MY_PASSWORD = "/api/v1/me/password";
    private static final String QUESTIONS = "/api/v1/questions";
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    static Path dataDir;
    static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.start(vertx, dataDir);
    }

    @AfterAll
    static void stop() {
        node.stop();
    }

    @Test
    void registerAndLoginReturnAnAccessAndARefreshToken() throws Exception {
        String username = uniqueName("both");
        JsonObject registered = node.register(username, username + "@example.com", PASSWORD);
        JsonObject loggedIn = login(username, PASSWORD);

        for (JsonObject session : List.of(registered, loggedIn)) {
            assertThat(session.getString("accessToken")).isNotBlank();
            assertThat(session.getLong("expiresIn")).isEqualTo(900L);
            assertThat(session.getString("refreshToken")).matches("[A-Za-z0-9_-]{43}");
            assertThat(session.getLong("refreshExpiresIn")).isBetween(30L * 86_400 - 60, 30L * 86_400 + 60);
            assertThat(UUID.fromString(session.getString("sessionId"))).isNotNull();
        }
        assertThat(loggedIn.getString("sessionId")).isNotEqualTo(registered.getString("sessionId"));
        assertThat(loggedIn.getString("refreshToken")).isNotEqualTo(registered.getString("refreshToken"));

        // Only the token's SHA-256 is stored.
        String refreshToken = loggedIn.getString("refreshToken");
        Row row = await(node.stores.pool().preparedQuery("SELECT * FROM sessions WHERE id = $1")
            .execute(Tuple.of(UUID.fromString(loggedIn.getString("sessionId"))))).iterator().next();
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(refreshToken.getBytes(StandardCharsets.US_ASCII));
        assertThat(row.getBuffer("refresh_hash").getBytes()).isEqualTo(sha256);
        assertThat(row.toJson().encode()).doesNotContain(refreshToken);
    }

    @Test
    void refreshRotatesAndAnOldTokenUsedAgainEndsTheWholeSession() {
        String username = uniqueName("rotate");
        JsonObject first = node.register(username, username + "@example.com", PASSWORD);

        HttpResponse<Buffer> refreshed = refresh(first.getString("refreshToken"));
        assertThat(refreshed.statusCode()).as(refreshed.bodyAsString()).isEqualTo(200);
        JsonObject second = refreshed.bodyAsJsonObject();
        assertThat(second.getString("sessionId")).isEqualTo(first.getString("sessionId"));
        assertThat(second.getString("refreshToken")).isNotEqualTo(first.getString("refreshToken"));
        assertThat(second.getJsonObject("user").getString("username")).isEqualTo(username);
        assertThat(node.get(ME, second.getString("accessToken")).statusCode()).isEqualTo(200);
        JsonObject third = refresh(second.getString("refreshToken")).bodyAsJsonObject();

        // The first token again: a thief, or a replay. The whole session ends.
        assertProblem(refresh(first.getString("refreshToken")), 401, "REFRESH_TOKEN_REUSED");

        assertProblem(refresh(third.getString("refreshToken")), 401, "SESSION_REVOKED");
        for (JsonObject session : List.of(first, second, third)) {
            assertProblem(node.get(ME, session.getString("accessToken")), 401, "SESSION_REVOKED");
        }
        // Another session of the same user is not touched.
        assertThat(node.get(ME, login(username, PASSWORD).getString("accessToken")).statusCode()).isEqualTo(200);
    }

    @Test
    void ofRefreshesRacingWithOneTokenExactlyOneWins() {
        String username = uniqueName("race");
        String token = node.register(username, username + "@example.com", PASSWORD).getString("refreshToken");

        List<Future<HttpResponse<Buffer>>> racing = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racing.add(node.client.post(REFRESH).sendJsonObject(new JsonObject().put("refreshToken", token)));
        }
        List<HttpResponse<Buffer>> responses = racing.stream().map(f -> await(f)).toList();

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
        responses.stream().filter(r -> r.statusCode() != 200)
            .forEach(r -> assertProblem(r, 401, "REFRESH_TOKEN_REUSED"));
    }

    @Test
    void badRefreshRequestsAreRefusedWithTheirReasonAndChangeNothing() {
        String username = uniqueName("badref");
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);

        assertFieldError(node.postJson(REFRESH, new JsonObject()), "refreshToken");
        assertFieldError(node.postJson(REFRESH, new JsonObject().put("refreshToken", 42)), "refreshToken");
        assertFieldError(node.postJson(REFRESH, new JsonObject().put("refreshToken", "")), "refreshToken");
        assertProblem(node.postRaw(REFRESH, "application/json", "{nope"), 400, "MALFORMED_MESSAGE");
        assertProblem(refresh("not a refresh token"), 401, "INVALID_REFRESH_TOKEN");
        assertProblem(refresh(session.getString("accessToken")), 401, "INVALID_REFRESH_TOKEN");
        assertProblem(refresh("A".repeat(43)), 401, "INVALID_REFRESH_TOKEN");
        assertProblem(refresh("' OR '1'='1"), 401, "INVALID_REFRESH_TOKEN");

        assertThat(refresh(session.getString("refreshToken")).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredRefreshTokenIsRefused() {
        String username = uniqueName("expired");
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);
        await(node.stores.pool().preparedQuery("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1")
            .execute(Tuple.of(UUID.fromString(session.getString("sessionId")))));

        HttpResponse<Buffer> response = refresh(session.getString("refreshToken"));

        assertProblem(response, 401, "REFRESH_TOKEN_EXPIRED");
        assertThat(response.bodyAsJsonObject().getString("detail")).contains("expired");
    }

    @Test
    void logoutOnOneNodeIsRefusedAtOnceOnEveryNodeIncludingOneStartedLater() {
        TestNode second = TestNode.alongside(node);
        TestNode later = null;
        try {
            String username = uniqueName("logout");
            JsonObject session = node.register(username, username + "@example.com", PASSWORD);
            JsonObject otherDevice = login(username, PASSWORD);
            String token = session.getString("accessToken");
            assertThat(second.get(ME, token).statusCode()).isEqualTo(200);

            HttpResponse<Buffer> loggedOut = send(node, HttpMethod.POST, LOGOUT, token, null);
            assertThat(loggedOut.statusCode()).as(loggedOut.bodyAsString()).isEqualTo(204);

            later = TestNode.alongside(node);
            for (TestNode any : List.of(node, second, later)) {
                HttpResponse<Buffer> refused = any.get(ME, token);
                assertProblem(refused, 401, "SESSION_REVOKED");
                assertThat(refused.getHeader("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
                assertThat(any.get(ME, otherDevice.getString("accessToken")).statusCode()).isEqualTo(200);
            }
            assertProblem(refresh(session.getString("refreshToken")), 401, "SESSION_REVOKED");
            assertProblem(send(second, HttpMethod.POST, LOGOUT, token, null), 401, "SESSION_REVOKED");
        } finally {
            second.stop();
            if (later != null) {
                later.stop();
            }
        }
    }

    @Test
    void aRevocationWhoseRedisMarkWasLostIsMarkedAgain() {
        String username = uniqueName("lostmark");
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);
        String token = session.getString("accessToken");
        assertThat(send(node, HttpMethod.POST, LOGOUT, token, null).statusCode()).isEqualTo(204);
        // Redis restarted without its data, say: the mark is gone, and Redis's "not revoked" is trusted.
        await(node.stores.redis().del(List.of(Sessions.REVOKED_KEY_PREFIX + session.getString("sessionId"))));
        assertThat(node.get(ME, token).statusCode()).isEqualTo(200);

        // What every node runs each minute.
        assertThat(await(node.sessions.remarkRecentlyRevoked())).isPositive();

        assertProblem(node.get(ME, token), 401, "SESSION_REVOKED");
    }

    @Test
    void aSessionRedisKnowsNothingOfIsCheckedInPostgreSql() {
        String username = uniqueName("wiped");
        JsonObject ended = node.register(username, username + "@example.com", PASSWORD);
        JsonObject live = login(username, PASSWORD);
        assertThat(send(node, HttpMethod.POST, LOGOUT, ended.getString("accessToken"), null).statusCode()).isEqualTo(204);
        // Redis lost everything it held about both sessions (flushed, restarted without its data).
        for (JsonObject session : List.of(ended, live)) {
            String sessionId = session.getString("sessionId");
            await(node.stores.redis().del(List.of("session:revoked:" + sessionId, "session:live:" + sessionId)));
        }

        assertProblem(node.get(ME, ended.getString("accessToken")), 401, "SESSION_REVOKED");
        assertThat(node.get(ME, live.getString("accessToken")).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenOfASessionThatWasNeverIssuedIsRefused() {
        String username = uniqueName("forged");
        JsonObject registered = node.register(username, username + "@example.com", PASSWORD);
        UUID userId = UUID.fromString(registered.getJsonObject("user").getString("id"));
        // Signed with the node's own key, as only a holder of it could: the signature alone proves nothing more.
        String neverIssued = node.sessions.tokens().issue(userId, username, Role.ADMIN, UUID.randomUUID()).value();

        assertProblem(node.get(ME, neverIssued), 401, "SESSION_REVOKED");
        assertProblem(send(node, HttpMethod.GET, "/api/v1/admin/users/" + userId, neverIssued, null), 401, "SESSION_REVOKED");
    }

    @Test
    void aSurgeOfChecksIsAnsweredByRedisWithoutTimeoutsOrFallingBackToPostgreSql() {
        String username = uniqueName("surge");
        String token = node.register(username, username + "@example.com", PASSWORD).getString("accessToken");
        Logger sessionsLog = (Logger) LoggerFactory.getLogger(Sessions.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        sessionsLog.addAppender(logged);
        try {
            // 3,000 sockets opened at once each check their token: the pooled client refused 2,763 of
            // such checks (wait queue full) and timed out the rest, and every one then asked PostgreSQL.
            List<Future<?>> checks = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                checks.add(node.sessions.authenticate(token));
            }
            await(Future.all(checks));
        } finally {
            sessionsLog.detachAppender(logged);
        }
        assertThat(logged.list).as("Redis answered every check").isEmpty();
    }

    @Test
    void anAdminGivesARoleThatHoldsOnTheAccountsNextRequestWithoutSigningInAgain() {
        JsonObject admin = userWithRole("roleadmin", Role.ADMIN);
        String adminToken = admin.getString("accessToken");
        String username = uniqueName("promoted");
        JsonObject target = node.register(username, username + "@example.com", PASSWORD);
        String token = target.getString("accessToken");
        String role = "/api/v1/admin/users/" + target.getJsonObject("user").getString("id") + "/role";
        assertProblem(send(node, HttpMethod.GET, QUESTIONS, token, null), 403, "FORBIDDEN");

        HttpResponse<Buffer> promoted = send(node, HttpMethod.PUT, role, adminToken, new JsonObject().put("role", "moderator"));
        assertThat(promoted.statusCode()).as(promoted.bodyAsString()).isEqualTo(200);
        assertThat(promoted.bodyAsJsonObject().getString("role")).isEqualTo("moderator");
        assertThat(promoted.bodyAsJsonObject().getString("username")).isEqualTo(username);
        // The token still says "user"; the account's role is what counts, at once.
        assertThat(send(node, HttpMethod.GET, QUESTIONS, token, null).statusCode()).isEqualTo(200);
        // A live mark written a moment later with the old role (a login or a check in flight) changes nothing.
        await(node.stores.redis().set(List.of("session:live:" + target.getString("sessionId"), "USER", "EX", "600")));
        assertThat(send(node, HttpMethod.GET, QUESTIONS, token, null).statusCode()).isEqualTo(200);
        assertProblem(send(node, HttpMethod.PUT, role, token, new JsonObject().put("role", "admin")), 403, "FORBIDDEN");

        assertThat(send(node, HttpMethod.PUT, role, adminToken, new JsonObject().put("role", "user")).statusCode())
            .isEqualTo(200);
        assertProblem(send(node, HttpMethod.GET, QUESTIONS, token, null), 403, "FORBIDDEN");
        JsonObject refreshed = refresh(target.getString("refreshToken")).bodyAsJsonObject();
        assertProblem(send(node, HttpMethod.GET, QUESTIONS, refreshed.getString("accessToken"), null), 403, "FORBIDDEN");

        assertProblem(send(node, HttpMethod.PUT, "/api/v1/admin/users/" + admin.getJsonObject("user").getString("id")
            + "/role", adminToken, new JsonObject().put("role", "user")), 409, "CANNOT_CHANGE_OWN_ROLE");
        assertFieldError(send(node, HttpMethod.PUT, role, adminToken, new JsonObject().put("role", "owner")), "role");
        assertFieldError(send(node, HttpMethod.PUT, role, adminToken, new JsonObject()), "role");
        assertProblem(send(node, HttpMethod.PUT, "/api/v1/admin/users/" + UUID.randomUUID() + "/role", adminToken,
            new JsonObject().put("role", "user")), 404, "NOT_FOUND");
        assertThat(send(node, HttpMethod.GET, QUESTIONS, adminToken, null).statusCode()).as("the admin kept their role")
            .isEqualTo(200);
    }

    @Test
    void theSigningKeyRotatesInThreeStepsAndNobodySignsInAgain() {
        String current = TestNode.JWT_SECRET;
        String next = "the next signing key of this cluster, 32 bytes or more";
        String username = uniqueName("rotation");
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);
        TestNode learning = TestNode.alongsideWithKeys(node, current, List.of(next));
        TestNode rotated = TestNode.alongsideWithKeys(node, next, List.of(current));
        TestNode finished = TestNode.alongsideWithKeys(node, next, List.of());
        try {
            // Step 2 under way: a node signing with the next key accepts the tokens out there.
            assertThat(rotated.get(ME, session.getString("accessToken")).statusCode()).isEqualTo(200);
            HttpResponse<Buffer> refreshed = rotated.postJson(REFRESH,
                new JsonObject().put("refreshToken", session.getString("refreshToken")));
            assertThat(refreshed.statusCode()).as(refreshed.bodyAsString()).isEqualTo(200);
            String newToken = refreshed.bodyAsJsonObject().getString("accessToken");
            // Nodes still on step 1 accept its new tokens, since they learnt the key first.
            assertThat(learning.get(ME, newToken).statusCode()).isEqualTo(200);
            assertThat(node.get(ME, session.getString("accessToken")).statusCode()).isEqualTo(200);

            // Step 3: the old key is gone; its access tokens stop, but the session goes on by refresh.
            assertProblem(finished.get(ME, session.getString("accessToken")), 401, "UNAUTHORIZED");
            assertThat(finished.get(ME, newToken).statusCode()).isEqualTo(200);
            HttpResponse<Buffer> again = finished.postJson(REFRESH,
                new JsonObject().put("refreshToken", refreshed.bodyAsJsonObject().getString("refreshToken")));
            assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
            assertThat(again.bodyAsJsonObject().getString("sessionId")).isEqualTo(session.getString("sessionId"));
        } finally {
            learning.stop();
            rotated.stop();
            finished.stop();
        }
    }

    @Test
    void logoutAllEndsEverySessionOfTheUserOnly() {
        String username = uniqueName("everywhere");
        JsonObject one = node.register(username, username + "@example.com", PASSWORD);
        JsonObject two = login(username, PASSWORD);
        String bystander = uniqueName("bystander");
        JsonObject theirs = node.register(bystander, bystander + "@example.com", PASSWORD);

        assertProblem(send(node, HttpMethod.POST, LOGOUT_ALL, null, null), 401, "UNAUTHORIZED");
        assertProblem(send(node, HttpMethod.POST, LOGOUT, null, null), 401, "UNAUTHORIZED");
        assertThat(send(node, HttpMethod.POST, LOGOUT_ALL, two.getString("accessToken"), null).statusCode()).isEqualTo(204);

        for (JsonObject session : List.of(one, two)) {
            assertProblem(node.get(ME, session.getString("accessToken")), 401, "SESSION_REVOKED");
            assertProblem(refresh(session.getString("refreshToken")), 401, "SESSION_REVOKED");
        }
        assertThat(node.get(ME, theirs.getString("accessToken")).statusCode()).isEqualTo(200);
        assertThat(refresh(theirs.getString("refreshToken")).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyAnAdminDisablesAndTheDisabledUsersTokensStopWorking() {
        JsonObject admin = userWithRole("admin", Role.ADMIN);
        JsonObject moderator = userWithRole("moder", Role.MODERATOR);
        JsonObject user = userWithRole("plain", Role.USER);
        String targetName = uniqueName("target");
        JsonObject target = node.register(targetName, targetName + "@example.com", PASSWORD);
        String targetId = target.getJsonObject("user").getString("id");
        String disable = "/api/v1/admin/users/" + targetId + "/disable";
        String enable = "/api/v1/admin/users/" + targetId + "/enable";

        for (JsonObject notAdmin : List.of(moderator, user)) {
            assertProblem(send(node, HttpMethod.POST, disable, notAdmin.getString("accessToken"), null), 403, "FORBIDDEN");
            assertProblem(send(node, HttpMethod.GET, "/api/v1/admin/users/" + targetId, notAdmin.getString("accessToken"), null),
                403, "FORBIDDEN");
        }
        assertProblem(send(node, HttpMethod.POST, disable, null, null), 401, "UNAUTHORIZED");
        assertThat(node.get(ME, target.getString("accessToken")).statusCode()).isEqualTo(200);

        String adminToken = admin.getString("accessToken");
        assertProblem(send(node, HttpMethod.POST, "/api/v1/admin/users/" + UUID.randomUUID() + "/disable", adminToken, null),
            404, "NOT_FOUND");
        assertProblem(send(node, HttpMethod.POST, "/api/v1/admin/users/not-a-uuid/disable", adminToken, null), 404, "NOT_FOUND");
        assertProblem(send(node, HttpMethod.POST, "/api/v1/admin/users/" + admin.getJsonObject("user").getString("id")
            + "/disable", adminToken, null), 409, "CANNOT_DISABLE_SELF");
        assertThat(node.get(ME, adminToken).statusCode()).isEqualTo(200);

        assertThat(send(node, HttpMethod.POST, disable, adminToken, null).statusCode()).isEqualTo(204);

        assertProblem(node.get(ME, target.getString("accessToken")), 403, "ACCOUNT_DISABLED");
        assertProblem(refresh(target.getString("refreshToken")), 403, "ACCOUNT_DISABLED");
        assertProblem(node.postJson(LOGIN, loginBody(targetName, PASSWORD)), 403, "ACCOUNT_DISABLED");
        JsonObject seen = send(node, HttpMethod.GET, "/api/v1/admin/users/" + targetId, adminToken, null).bodyAsJsonObject();
        // Exactly the members openapi.yaml's AdminUserView declares, avatarUrl null when there is none.
        assertThat(seen.fieldNames()).containsExactlyInAnyOrder("id", "username", "displayName", "role", "createdAt",
            "email", "avatarUrl", "disabled");
        assertThat(seen.getValue("avatarUrl")).isNull();
        assertThat(seen.getBoolean("disabled")).isTrue();
        assertThat(seen.getString("email")).isEqualTo(targetName + "@example.com");
        assertThat(seen.getString("username")).isEqualTo(targetName);

        assertProblem(send(node, HttpMethod.POST, enable, user.getString("accessToken"), null), 403, "FORBIDDEN");
        assertThat(send(node, HttpMethod.POST, enable, adminToken, null).statusCode()).isEqualTo(204);

        JsonObject again = login(targetName, PASSWORD);
        assertThat(node.get(ME, again.getString("accessToken")).statusCode()).isEqualTo(200);
        assertProblem(refresh(target.getString("refreshToken")), 401, "SESSION_REVOKED");
        // The old session stays ended, but the account is no longer disabled: its token says so.
        assertProblem(node.get(ME, target.getString("accessToken")), 401, "SESSION_REVOKED");
        assertThat(send(node, HttpMethod.GET, "/api/v1/admin/users/" + targetId, adminToken, null)
            .bodyAsJsonObject().getBoolean("disabled")).isFalse();
        assertProblem(send(node, HttpMethod.GET, "/api/v1/admin/users/" + UUID.randomUUID(), adminToken, null),
            404, "NOT_FOUND");
    }

    @Test
    void aDeletedAccountIsNotFoundByAdminsAndTheirChangesLeaveItAsItIs() {
        String adminToken = userWithRole("deladmin", Role.ADMIN).getString("accessToken");
        String username = uniqueName("gone");
        JsonObject gone = node.register(username, username + "@example.com", PASSWORD);
        String goneId = gone.getJsonObject("user").getString("id");
        HttpResponse<Buffer> deleted = send(node, HttpMethod.DELETE, ME, gone.getString("accessToken"),
            new JsonObject().put("password", PASSWORD));
        assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(204);
        JsonObject before = storedAccount(goneId);

        String account = "/api/v1/admin/users/" + goneId;
        assertProblem(send(node, HttpMethod.GET, account, adminToken, null), 404, "NOT_FOUND");
        assertProblem(send(node, HttpMethod.POST, account + "/enable", adminToken, null), 404, "NOT_FOUND");
        assertProblem(send(node, HttpMethod.POST, account + "/disable", adminToken, null), 404, "NOT_FOUND");
        assertProblem(send(node, HttpMethod.PUT, account + "/role", adminToken, new JsonObject().put("role", "admin")),
            404, "NOT_FOUND");

        assertThat(storedAccount(goneId)).isEqualTo(before);
        // Nor is a role marked for the account's sessions (SessionMarks' role mark).
        assertThat(await(node.stores.redis().get("user:role:" + goneId))).isNull();
    }

    @Test
    void aWrongCurrentPasswordChangesNothing() {
        String username = uniqueName("wrongpw");
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);
        JsonObject other = login(username, PASSWORD);

        HttpResponse<Buffer> response = changePassword(session, "not my password", "a brand new password");

        assertProblem(response, 403, "WRONG_PASSWORD");
        assertThat(node.get(ME, other.getString("accessToken")).statusCode()).isEqualTo(200);
        assertThat(node.get(ME, session.getString("accessToken")).statusCode()).isEqualTo(200);
        assertThat(node.postJson(LOGIN, loginBody(username, PASSWORD)).statusCode()).isEqualTo(200);
        assertProblem(node.postJson(LOGIN, loginBody(username, "a brand new password")), 401, "INVALID_CREDENTIALS");
    }

    @Test
    void aStolenTokenCannotBeUsedToGuessThePassword() {
        String username = uniqueName("guessed");
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);
        int limit = ProtectionOptions.defaults().loginThrottle().failuresPerAccountAndAddress();
        for (int i = 0; i < limit; i++) {
            assertProblem(changePassword(session, "guess " + i, "a brand new password"), 403, "WRONG_PASSWORD");
        }

        // Counted like failed logins: now even the right one is not looked at, here or at login.
        HttpResponse<Buffer> throttled = changePassword(session, PASSWORD, "a brand new password");
        assertProblem(throttled, 429, "LOGIN_THROTTLED");
        assertThat(throttled.getHeader("Retry-After")).isNotBlank();
        assertProblem(node.postJson(LOGIN, loginBody(username, PASSWORD)), 429, "LOGIN_THROTTLED");
    }

    @Test
    void anInvalidNewPasswordIsRefusedByField() {
        String username = uniqueName("badpw");
        JsonObject session = node.register(username, username + "@example.com", PASSWORD);

        assertFieldError(changePassword(session, PASSWORD, "short"), "newPassword");
        assertFieldError(changePassword(session, PASSWORD, PASSWORD), "newPassword");
        assertFieldError(send(node, HttpMethod.PUT, MY_PASSWORD, session.getString("accessToken"),
            new JsonObject().put("newPassword", "a brand new password")), "currentPassword");
        assertFieldError(send(node, HttpMethod.PUT, MY_PASSWORD, session.getString("accessToken"),
            new JsonObject().put("currentPassword", PASSWORD).put("newPassword", 12345678)), "newPassword");
        assertProblem(send(node, HttpMethod.PUT, MY_PASSWORD, null,
            new JsonObject().put("currentPassword", PASSWORD).put("newPassword", "a brand new password")), 401, "UNAUTHORIZED");

        assertThat(node.postJson(LOGIN, loginBody(username, PASSWORD)).statusCode()).isEqualTo(200);
    }

    @Test
    void aPasswordChangeEndsEveryOtherSessionAndKeepsThisOne() {
        String username = uniqueName("newpw");
        JsonObject current = node.register(username, username + "@example.com", PASSWORD);
        JsonObject other = login(username, PASSWORD);
        String newPassword = "an entirely new passphrase";

        HttpResponse<Buffer> changed = changePassword(current, PASSWORD, newPassword);
        assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(204);

        assertThat(node.get(ME, current.getString("accessToken")).statusCode()).isEqualTo(200);
        assertThat(refresh(current.getString("refreshToken")).statusCode()).isEqualTo(200);
        assertProblem(node.get(ME, other.getString("accessToken")), 401, "SESSION_REVOKED");
        assertProblem(refresh(other.getString("refreshToken")), 401, "SESSION_REVOKED");
        assertProblem(node.postJson(LOGIN, loginBody(username, PASSWORD)), 401, "INVALID_CREDENTIALS");
        assertThat(node.postJson(LOGIN, loginBody(username, newPassword)).statusCode()).isEqualTo(200);
        String stored = await(node.stores.pool().preparedQuery("SELECT password_hash FROM users WHERE username = $1")
            .execute(Tuple.of(username))).iterator().next().getString(0);
        assertThat(stored).startsWith("$argon2id$").doesNotContain(newPassword);
    }

    @Test
    void myListOfSessionsShowsOnlyMineAndICanEndOneOfThem() {
        String mine = uniqueName("lister");
        JsonObject first = node.register(mine, mine + "@example.com", PASSWORD);
        JsonObject second = login(mine, PASSWORD);
        String theirName = uniqueName("stranger");
        JsonObject theirs = node.register(theirName, theirName + "@example.com", PASSWORD);

        JsonArray listed = send(node, HttpMethod.GET, MY_SESSIONS, first.getString("accessToken"), null)
            .bodyAsJsonObject().getJsonArray("sessions");
        List<String> ids = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            JsonObject session = listed.getJsonObject(i);
            ids.add(session.getString("id"));
            if (session.getBoolean("current")) {
                current.add(session.getString("id"));
            }
            assertThat(session.fieldNames()).contains("createdAt", "lastUsedAt", "expiresAt", "userAgent", "clientAddress")
                .doesNotContain("refreshToken", "refreshHash", "userId");
            assertThat(session.getString("clientAddress")).isEqualTo("127.0.0.1");
        }
        assertThat(ids).containsExactlyInAnyOrder(first.getString("sessionId"), second.getString("sessionId"));
        assertThat(current).containsExactly(first.getString("sessionId"));

        // Someone else's session is "not found", and stays alive.
        assertProblem(send(node, HttpMethod.DELETE, MY_SESSIONS + "/" + theirs.getString("sessionId"),
            first.getString("accessToken"), null), 404, "NOT_FOUND");
        assertThat(node.get(ME, theirs.getString("accessToken")).statusCode()).isEqualTo(200);
        assertProblem(send(node, HttpMethod.DELETE, MY_SESSIONS + "/nope", first.getString("accessToken"), null),
            404, "NOT_FOUND");
        assertProblem(send(node, HttpMethod.GET, MY_SESSIONS, null, null), 401, "UNAUTHORIZED");

        assertThat(send(node, HttpMethod.DELETE, MY_SESSIONS + "/" + second.getString("sessionId"),
            first.getString("accessToken"), null).statusCode()).isEqualTo(204);

        assertProblem(node.get(ME, second.getString("accessToken")), 401, "SESSION_REVOKED");
        assertProblem(refresh(second.getString("refreshToken")), 401, "SESSION_REVOKED");
        JsonArray after = send(node, HttpMethod.GET, MY_SESSIONS, first.getString("accessToken"), null)
            .bodyAsJsonObject().getJsonArray("sessions");
        assertThat(after.size()).isEqualTo(1);
        assertThat(after.getJsonObject(0).getString("id")).isEqualTo(first.getString("sessionId"));
    }

    @Test
    void withRedisUnreachableRevocationIsCheckedInPostgres() {
        Redis unreachable = Redis.createClient(node.vertx, "redis://127.0.0.1:1");
        Sessions blind = new Sessions(node.vertx, node.authOptions, node.tokens, node.hasher, node.users,
            new SessionRepository(node.stores.pool(), node.authOptions.accessTokenTtl()), RedisAPI.api(unreachable));
        try {
            String liveName = uniqueName("live");
            JsonObject live = node.register(liveName, liveName + "@example.com", PASSWORD);
            String goneName = uniqueName("gone");
            JsonObject gone = node.register(goneName, goneName + "@example.com", PASSWORD);
            assertThat(send(node, HttpMethod.POST, LOGOUT, gone.getString("accessToken"), null).statusCode()).isEqualTo(204);

            assertThat(await(blind.authenticate(live.getString("accessToken"))).username()).isEqualTo(liveName);
            assertThat(failureOf(blind.authenticate(gone.getString("accessToken"))))
                .isInstanceOfSatisfying(QuizException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SESSION_REVOKED));

            // A revocation Redis cannot record is reported, yet stands in PostgreSQL: refresh is refused.
            assertThat(failureOf(blind.revoke(UUID.fromString(live.getString("sessionId")))))
                .isInstanceOfSatisfying(QuizException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
            assertProblem(refresh(live.getString("refreshToken")), 401, "SESSION_REVOKED");
            assertThat(failureOf(blind.authenticate(live.getString("accessToken"))))
                .isInstanceOfSatisfying(QuizException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SESSION_REVOKED));
            // Logging out again once Redis is back marks it for every node.
            assertThat(send(node, HttpMethod.POST, LOGOUT, live.getString("accessToken"), null).statusCode()).isEqualTo(204);
            assertProblem(node.get(ME, live.getString("accessToken")), 401, "SESSION_REVOKED");
        } finally {
            unreachable.close();
        }
    }

    /** What the users and sessions tables hold of an account: its role, whether disabled, how its sessions ended. */
    private static JsonObject storedAccount(String userId) {
        Row row = await(node.stores.pool().preparedQuery("SELECT u.role, u.disabled, u.username,"
            + " (SELECT string_agg(coalesce(s.revoked_reason, '-'), ',' ORDER BY s.id) FROM sessions s WHERE s.user_id = u.id)"
            + " AS sessions FROM users u WHERE u.id = $1").execute(Tuple.of(UUID.fromString(userId)))).iterator().next();
        return row.toJson();
    }

    private static JsonObject userWithRole(String prefix, Role role) {
        String username = uniqueName(prefix);
        JsonObject registered = node.register(username, username + "@example.com", PASSWORD);
        await(node.users.setRole(UUID.fromString(registered.getJsonObject("user").getString("id")), role));
        return login(username, PASSWORD);
    }

    private static JsonObject login(String username, String password) {
        HttpResponse<Buffer> response = node.postJson(LOGIN, loginBody(username, password));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    private static JsonObject loginBody(String login, String password) {
        return new JsonObject().put("login", login).put("password", password);
    }

    private static HttpResponse<Buffer> refresh(String refreshToken) {
        return node.postJson(REFRESH, new JsonObject().put("refreshToken", refreshToken));
    }

    private static HttpResponse<Buffer> changePassword(JsonObject session, String current, String next) {
        return send(node, HttpMethod.PUT, MY_PASSWORD, session.getString("accessToken"),
            new JsonObject().put("currentPassword", current).put("newPassword", next));
    }

    private static HttpResponse<Buffer> send(TestNode on, HttpMethod method, String path, String bearer, JsonObject body) {
        HttpRequest<Buffer> request = on.client.request(method, path);
        if (bearer != null) {
            request.putHeader("Authorization", "Bearer " + bearer);
        }
        return await(body == null ? request.send() : request.sendJsonObject(body));
    }

    private static void assertFieldError(HttpResponse<Buffer> response, String field) {
        assertProblem(response, 422, "VALIDATION_FAILED");
        JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors");
        assertThat(errors.stream().map(e -> ((JsonObject) e).getString("field")).toList()).containsExactly(field);
    }
}
