package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.AuthApiTest.assertProblem;
import static org.quizengine.api.http.TestNode.registration;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.leaderboard.Board;
import org.quizengine.api.leaderboard.LeaderboardEntry;
import org.quizengine.api.mydata.AccountDeletion;
import org.quizengine.api.testing.TestMatches;
import org.quizengine.shared.match.MatchResult;

/** Exporting my data and deleting my account, over real HTTP against real PostgreSQL and Redis. */
@ExtendWith(VertxExtension.class)
class MyDataApiTest {
    private static final String ME = "/api/v1/me";
    private static final String LOGIN = "/api/v1/auth/login";
    private static final String PASSWORD = SignedUp.PASSWORD;

    @TempDir
    static Path dataDir;
    static TestNode node;
    static MatchResultStore results;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.start(vertx, dataDir);
        results = new MatchResultStore(node.stores.pool());
    }

    @AfterAll
    static void stop() {
        node.stop();
    }

    @Test
    void exportsEverythingHeldAboutMeAsOneDownload() {
        SignedUp me = signUp("exporter");
        SignedUp rival = signUp("rival");
        node.send(HttpMethod.PATCH, ME, me.token(), new JsonObject().put("displayName", "Ex Porter"));
        long now = System.currentTimeMillis();
        MatchResult older = record(TestMatches.match(UUID.randomUUID(), now - 1_000, 3, List.of(me.id(), rival.id())));
        MatchResult newer = record(TestMatches.match(UUID.randomUUID(), now, 2, List.of(rival.id(), me.id())));

        HttpResponse<Buffer> response = node.get(ME + "/export", me.token());

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("application/json");
        assertThat(response.getHeader("Content-Disposition"))
            .startsWith("attachment; filename=\"quizengine-export-" + me.username() + "-").endsWith(".json\"");
        JsonObject export = response.bodyAsJsonObject();
        assertThat(Instant.parse(export.getString("exportedAt"))).isBeforeOrEqualTo(Instant.now());

        JsonObject account = export.getJsonObject("account");
        assertThat(account.getString("id")).isEqualTo(me.id().toString());
        assertThat(account.getString("username")).isEqualTo(me.username());
        assertThat(account.getString("email")).isEqualTo(me.email());
        assertThat(account.getString("displayName")).isEqualTo("Ex Porter");
        assertThat(account.getString("role")).isEqualTo("user");
        assertThat(account.getString("createdAt")).isNotBlank();
        assertThat(response.bodyAsString()).doesNotContain("argon2").doesNotContainIgnoringCase("password");

        int myTotal = TestMatches.scores(older).get(me.id()) + TestMatches.scores(newer).get(me.id());
        assertThat(export.getJsonObject("stats").getInteger("matchesPlayed")).isEqualTo(2);
        assertThat(export.getJsonObject("stats").getLong("totalScore")).isEqualTo(myTotal);
        JsonObject allTime = export.getJsonArray("leaderboards").stream().map(JsonObject.class::cast)
            .filter(line -> line.getString("board").equals("all")).findFirst().orElseThrow();
        assertThat(allTime.getLong("score")).isEqualTo(myTotal);
        assertThat(allTime.getInteger("rank")).isPositive();

        JsonArray matches = export.getJsonArray("matches");
        assertThat(matches).hasSize(2);
        JsonObject newest = matches.getJsonObject(0);
        assertThat(newest.getString("matchId")).isEqualTo(newer.matchId().toString());
        assertThat(newest.getInteger("players")).isEqualTo(2);
        assertThat(newest.getInteger("score")).isEqualTo(TestMatches.scores(newer).get(me.id()));
        JsonArray questions = matches.getJsonObject(1).getJsonArray("questions");
        assertThat(questions).hasSize(3);
        // In the older match I was player 0: always option 0, always right, 900 points.
        for (Object question : questions) {
            JsonObject asked = (JsonObject) question;
            assertThat(asked.getJsonArray("options")).hasSize(4);
            assertThat(asked.getInteger("correctOption")).isZero();
            assertThat(asked.getJsonObject("myAnswer").getInteger("option")).isZero();
            assertThat(asked.getJsonObject("myAnswer").getInteger("points")).isEqualTo(900);
        }
        // Only my own answers: the rival's are theirs.
        assertThat(response.bodyAsString()).doesNotContain(rival.id().toString());

        // My one sign-in (the registration), and from where: mine, not the rival's.
        JsonArray sessions = export.getJsonArray("sessions");
        assertThat(sessions).hasSize(1);
        assertThat(sessions.getJsonObject(0).getString("clientAddress")).isEqualTo("127.0.0.1");
        assertThat(sessions.getJsonObject(0).getString("revokedAt")).isNull();
    }

    @Test
    void aWrongOrMissingPasswordDeletesNothing() {
        SignedUp me = signUp("keeper");

        assertProblem(deleteMe(me.token(), new JsonObject().put("password", "not my password")), 403,
            "PASSWORD_CONFIRMATION_FAILED");
        HttpResponse<Buffer> missing = deleteMe(me.token(), new JsonObject());
        assertProblem(missing, 422, "VALIDATION_FAILED");
        assertThat(missing.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("password");
        assertProblem(deleteMe(me.token(), new JsonObject().put("password", 12345678)), 422, "VALIDATION_FAILED");
        assertProblem(node.send(HttpMethod.DELETE, ME, me.token(), null), 400, "MALFORMED_MESSAGE");
        assertProblem(deleteMe(null, new JsonObject().put("password", PASSWORD)), 401, "UNAUTHORIZED");

        assertThat(node.get(ME, me.token()).statusCode()).isEqualTo(200);
        assertThat(node.postJson(LOGIN, login(me.username())).statusCode()).isEqualTo(200);
        assertThat(node.revokedSessions).doesNotContain(me.id());
    }

    @Test
    void deletingMyAccountAnonymisesItEverywhere() {
        SignedUp me = signUp("leaver");
        SignedUp rival = signUp("stayer");
        MatchResult match = record(TestMatches.match(UUID.randomUUID(), System.currentTimeMillis(), 3,
            List.of(me.id(), rival.id())));
        String anonymous = AccountDeletion.anonymousName(me.id());
        assertThat(node.get(ME + "/stats", me.token()).bodyAsJsonObject().getInteger("matchesPlayed")).isEqualTo(1);

        HttpResponse<Buffer> deleted = deleteMe(me.token(), new JsonObject().put("password", PASSWORD));

        assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(204);
        assertThat(node.revokedSessions).contains(me.id());

        // My old token reaches nothing at all: its session was revoked with the account.
        assertProblem(node.get(ME, me.token()), 401, "SESSION_REVOKED");
        for (String path : List.of(ME + "/stats", ME + "/matches", ME + "/export", "/api/v1/matches/" + match.matchId(),
            "/api/v1/users/" + rival.username(), "/api/v1/leaderboards/all", "/api/v1/categories")) {
            assertProblem(node.get(path, me.token()), 401, "SESSION_REVOKED");
        }
        assertProblem(node.send(HttpMethod.PATCH, ME, me.token(), new JsonObject().put("displayName", "Back")), 401,
            "SESSION_REVOKED");
        assertProblem(deleteMe(me.token(), new JsonObject().put("password", PASSWORD)), 401, "SESSION_REVOKED");

        // Neither my old name nor my email signs in; neither finds a profile.
        assertProblem(node.postJson(LOGIN, login(me.username())), 401, "INVALID_CREDENTIALS");
        assertProblem(node.postJson(LOGIN, login(me.email())), 401, "INVALID_CREDENTIALS");
        assertProblem(node.get("/api/v1/users/" + me.username(), rival.token()), 404, "NOT_FOUND");
        assertProblem(node.get("/api/v1/users/" + anonymous, rival.token()), 404, "NOT_FOUND");

        // The other player's history still has the match, with me under the anonymous name only.
        HttpResponse<Buffer> detail = node.get("/api/v1/matches/" + match.matchId(), rival.token());
        assertThat(detail.statusCode()).isEqualTo(200);
        JsonObject mine = detail.bodyAsJsonObject().getJsonArray("players").stream().map(JsonObject.class::cast)
            .filter(player -> player.getString("userId").equals(me.id().toString())).findFirst().orElseThrow();
        assertThat(mine.getString("username")).isEqualTo(anonymous);
        assertThat(detail.bodyAsString()).doesNotContain(me.username());
        assertThat(node.get("/api/v1/me/matches", rival.token()).bodyAsJsonObject().getJsonArray("items")).hasSize(1);

        // A result of a match I played before leaving, arriving late, is stored as the node stores it
        // (NodeServices.applyToLeaderboards): without putting me back on a board.
        MatchResult late = TestMatches.match(UUID.randomUUID(), System.currentTimeMillis(), 3, List.of(me.id(), rival.id()));
        await(results.save(late));
        await(node.leaderboards.apply(late, await(node.users.deletedAmong(List.of(me.id(), rival.id())))));

        // Off every leaderboard; the other player stays on them.
        Instant now = Instant.now();
        for (Board board : Board.values()) {
            String boardId = board.boardId(now);
            assertThat(await(node.leaderboards.rankOf(boardId, me.id()))).as(boardId).isNull();
            List<UUID> listed = await(node.leaderboards.page(boardId, 0, 100)).entries().stream()
                .map(LeaderboardEntry::userId).toList();
            assertThat(listed).as(boardId).doesNotContain(me.id());
            if (!board.pathName().startsWith("previous")) {
                assertThat(listed).as(boardId).contains(rival.id());
            }
        }

        // Nothing personal is left in the row.
        Row row = await(node.stores.pool().preparedQuery(
            "SELECT username, email, password_hash, display_name, avatar_url, deleted_at FROM users WHERE id = $1")
            .execute(Tuple.of(me.id()))).iterator().next();
        assertThat(row.getString("username")).isEqualTo(anonymous);
        assertThat(row.getString("email")).doesNotContainIgnoringCase(me.username());
        assertThat(row.getString("password_hash")).doesNotContain("argon2");
        assertThat(row.getString("display_name")).isNull();
        assertThat(row.getValue("deleted_at")).isNotNull();
        // Nor where I signed in from.
        Row signIns = await(node.stores.pool().preparedQuery(
            "SELECT count(*) AS sessions, count(user_agent) + count(client_address) AS traces FROM sessions WHERE user_id = $1")
            .execute(Tuple.of(me.id()))).iterator().next();
        assertThat(signIns.getLong("sessions")).isPositive();
        assertThat(signIns.getLong("traces")).isZero();

        // My old name and email are free for someone new.
        HttpResponse<Buffer> again = node.postJson("/api/v1/auth/register", registration(me.username(), me.email(), PASSWORD));
        assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(201);
        assertThat(again.bodyAsJsonObject().getJsonObject("user").getString("id")).isNotEqualTo(me.id().toString());
    }

    @Test
    void aPasswordRegistrationTookConfirmsTheDeletionWhateverItsCharacters() {
        // 100 characters, as registration and the schema count them (200 UTF-16 units).
        String password = new String(Character.toChars(0x1F511)).repeat(100);
        String username = TestNode.uniqueName("emoji");
        JsonObject session = node.register(username, username + "@example.com", password);

        HttpResponse<Buffer> deleted = deleteMe(session.getString("accessToken"), new JsonObject().put("password", password));

        assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(204);
        assertProblem(node.postJson(LOGIN, new JsonObject().put("login", username).put("password", password)), 401,
            "INVALID_CREDENTIALS");
    }

    @Test
    void theAnonymousNamesCannotBeRegistered() {
        HttpResponse<Buffer> response = node.postJson("/api/v1/auth/register",
            registration("Deleted-0123456789abcdef", "someone-" + UUID.randomUUID() + "@example.com", PASSWORD));
        assertProblem(response, 422, "VALIDATION_FAILED");
        assertThat(response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("username");

        // Nor the email a deleted account gets: taking it first would make that deletion fail.
        HttpResponse<Buffer> squatter = node.postJson("/api/v1/auth/register",
            registration(TestNode.uniqueName("squat"), AccountDeletion.anonymousEmail(UUID.randomUUID()), PASSWORD));
        assertProblem(squatter, 422, "VALIDATION_FAILED");
    }

    private static MatchResult record(MatchResult result) {
        await(results.save(result));
        await(node.leaderboards.apply(result));
        return result;
    }

    private static HttpResponse<Buffer> deleteMe(String token, JsonObject body) {
        return node.send(HttpMethod.DELETE, ME, token, body);
    }

    private static JsonObject login(String login) {
        return new JsonObject().put("login", login).put("password", PASSWORD);
    }

    private static SignedUp signUp(String prefix) {
        return SignedUp.register(node, prefix);
    }
}
