package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * An admin lists the live matches, looks at one and ends it: its players are told why, and the match
 * is stored with its reason; nobody else may do any of it.
 */
class LiveMatchAdminTest {
    private static final String ADMIN_PASSWORD = "an admin password for the live match test";
    private static final String MATCHES = "/api/v1/admin/matches";
    private static TestNode node;
    private static WebClient http;
    private static String adminToken;

    @BeforeAll
    static void startNode() {
        String admin = "matchadmin" + System.nanoTime() % 100_000;
        Map<String, String> env = new HashMap<>(TestNode.fastMatches());
        env.put("QUIZ_MATCH_QUESTION_MILLIS", "20000"); // the first question stays open while the admin looks
        env.put("QUIZ_AUTH_ADMIN_USERNAME", admin);
        env.put("QUIZ_AUTH_ADMIN_EMAIL", admin + "@example.test");
        env.put("QUIZ_AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        node = TestNode.start(env);
        http = WebClient.create(node.vertx);
        adminToken = TestPlayer.login(node.vertx, node.port(), admin, ADMIN_PASSWORD).token;
    }

    @AfterAll
    static void stopNode() {
        if (http != null) {
            http.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void anAdminSeesALiveMatchAndEndsItWithAReasonItsPlayersAndItsHistoryKeep() {
        try (TestPlayer ada = player("ada"); TestPlayer bob = player("bob")) {
            for (TestPlayer p : List.of(ada, bob)) {
                p.send(new JsonObject().put("type", "quick_match").put("size", 2));
            }
            String matchId = ada.next("match_starting").getString("matchId");
            ada.next("question", f -> f.getInteger("index") == 0);
            bob.next("question", f -> f.getInteger("index") == 0);
            ada.send(new JsonObject().put("type", "answer").put("index", 0).put("option", 0));
            ada.next("answer_accepted");

            JsonObject listed = call("GET", MATCHES, adminToken, null).bodyAsJsonObject();
            assertThat(listed.getJsonArray("unreachableNodes")).isEmpty();
            JsonObject live = only(listed.getJsonArray("matches"), matchId);
            assertThat(live.getString("node")).isEqualTo(listed.getString("answeredBy"));
            assertThat(live.getString("kind")).isEqualTo("quick");
            assertThat(live.getString("phase")).isEqualTo("question");
            assertThat(live.getInteger("question")).isZero();
            assertThat(live.getLong("deadline")).isGreaterThan(live.getLong("startsAt"));
            assertThat(live.getJsonArray("standings").stream().map(s -> ((JsonObject) s).getString("username")))
                .containsExactlyInAnyOrder(ada.username, bob.username);
            assertThat(call("GET", MATCHES + "/" + matchId, adminToken, null).bodyAsJsonObject().getString("matchId"))
                .isEqualTo(matchId);

            // Only an admin: a player of the match may neither look nor end it.
            assertThat(call("GET", MATCHES, ada.token, null).statusCode()).isEqualTo(403);
            assertThat(call("POST", MATCHES + "/" + matchId + "/end", ada.token, new JsonObject()).statusCode())
                .isEqualTo(403);
            assertProblem(call("POST", MATCHES + "/" + matchId + "/end", adminToken,
                new JsonObject().put("reason", "two\nlines")), 422, "VALIDATION_FAILED");

            // 200 characters, as the spec counts them: 41 letters and 159 emoji (359 UTF-16 units).
            String reason = "The venue is closing; thanks for playing " + new String(Character.toChars(0x1F3C1)).repeat(159);
            assertProblem(call("POST", MATCHES + "/" + matchId + "/end", adminToken,
                new JsonObject().put("reason", reason + "!")), 422, "VALIDATION_FAILED");
            HttpResponse<Buffer> ended = call("POST", MATCHES + "/" + matchId + "/end", adminToken,
                new JsonObject().put("reason", "  " + reason + " "));
            assertThat(ended.statusCode()).as(ended.bodyAsString()).isEqualTo(200);
            assertThat(ended.bodyAsJsonObject().getString("phase")).isEqualTo("finished");

            for (TestPlayer p : List.of(ada, bob)) {
                JsonObject finished = p.next("match_finished");
                assertThat(finished.getString("matchId")).isEqualTo(matchId);
                assertThat(finished.getString("endReason")).isEqualTo(reason);
                // The open question was not revealed: ada's answer earned nothing.
                assertThat(p.all("reveal")).isEmpty();
                assertThat(finished.getJsonArray("ranking").stream().mapToInt(s -> ((JsonObject) s).getInteger("score"))
                    .sum()).isZero();
            }
            assertProblem(call("POST", MATCHES + "/" + matchId + "/end", adminToken, null), 409, "MATCH_FINISHED");

            String history = "/api/v1/matches/" + matchId;
            Eventually.await("the ended match stored", Duration.ofSeconds(15), () -> ada.get(history).statusCode() == 200);
            JsonObject stored = ada.getJson(history);
            assertThat(stored.getString("endReason")).isEqualTo(reason);
            assertThat(stored.getInteger("questionCount")).as("questions asked").isZero();

            // Once it is gone from the node, it is no longer live anywhere.
            Eventually.await("the ended match gone", Duration.ofSeconds(15),
                () -> call("GET", MATCHES + "/" + matchId, adminToken, null).statusCode() == 404);
            assertThat(call("GET", MATCHES, adminToken, null).bodyAsJsonObject().getJsonArray("matches").stream()
                .map(m -> ((JsonObject) m).getString("matchId"))).doesNotContain(matchId);
        }
    }

    @Test
    void aMatchNoNodePlaysIsNotFound() {
        assertProblem(call("GET", MATCHES + "/" + UUID.randomUUID(), adminToken, null), 404, "NOT_FOUND");
        assertProblem(call("GET", MATCHES + "/not-a-match", adminToken, null), 404, "NOT_FOUND");
        assertProblem(call("POST", MATCHES + "/" + UUID.randomUUID() + "/end", adminToken, null), 404, "NOT_FOUND");
    }

    private static TestPlayer player(String prefix) {
        TestPlayer player = node.register(prefix + System.nanoTime() % 100_000).connect();
        player.next("no_match");
        return player;
    }

    private static JsonObject only(JsonArray matches, String matchId) {
        List<JsonObject> found = matches.stream().map(JsonObject.class::cast)
            .filter(m -> matchId.equals(m.getString("matchId"))).toList();
        assertThat(found).as("%s in %s", matchId, matches).hasSize(1);
        return found.get(0);
    }

    private static HttpResponse<Buffer> call(String method, String path, String token, JsonObject body) {
        HttpRequest<Buffer> request = http.request(HttpMethod.valueOf(method), node.port(), "localhost",
            path).bearerTokenAuthentication(token);
        return TestPlayer.await(body == null ? request.send() : request.sendJsonObject(body));
    }

    private static void assertProblem(HttpResponse<Buffer> response, int status, String code) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo(code);
    }
}
