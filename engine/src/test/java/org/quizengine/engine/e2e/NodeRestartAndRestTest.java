package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * A node keeps users, history and leaderboards in its data directory: stopped and started again,
 * it still knows them, and tokens it issued still work. Its REST reads refuse bad input clearly.
 */
class NodeRestartAndRestTest {

    @Test
    void usersHistoryAndLeaderboardsSurviveARestartAndBadQueriesAreRefused() throws Exception {
        Path dataDir = Files.createTempDirectory("quiz-restart");
        String run = Long.toString(System.nanoTime() % 100_000);
        TestPlayer ada;
        TestPlayer bob;
        String matchId;
        long adaScore;
        java.util.Map<String, String> env = new java.util.HashMap<>(TestNode.fastMatches());
        env.put("QUIZ_AUTH_ADMIN_USERNAME", "root" + run);
        env.put("QUIZ_AUTH_ADMIN_EMAIL", "root" + run + "@example.test");
        env.put("QUIZ_AUTH_ADMIN_PASSWORD", "an admin password from the environment");
        try (TestNode node = TestNode.start(env, dataDir)) {
            assertAdminFromEnvironmentCanSignIn(node, "root" + run);
            ada = node.register("ra" + run).connect();
            bob = node.register("rb" + run).connect();
            assertMetricsCountThem(ada);
            for (TestPlayer p : List.of(ada, bob)) {
                p.send(new JsonObject().put("type", "quick_match").put("size", 2));
            }
            matchId = ada.next("match_starting").getString("matchId");
            for (int i = 0; i < 3; i++) {
                int index = i;
                for (TestPlayer p : List.of(ada, bob)) {
                    p.next("question", f -> f.getInteger("index") == index);
                    p.send(new JsonObject().put("type", "answer").put("index", index).put("option", index));
                }
            }
            adaScore = scoreOf(ada.next("match_finished"), ada.userId);
            waitForHistory(ada, matchId);
            assertBadQueriesAreRefused(ada);
            ada.close();
            bob.close();
        }

        try (TestNode again = TestNode.start(TestNode.fastMatches(), dataDir)) {
            TestPlayer sameAda = ada.on(again);
            JsonObject history = sameAda.getJson("/api/v1/me/matches");
            assertThat(history.getJsonArray("items")).hasSize(1);
            assertThat(history.getJsonArray("items").getJsonObject(0).getString("matchId")).isEqualTo(matchId);
            assertThat(sameAda.getJson("/api/v1/me/stats").getLong("totalScore")).isEqualTo(adaScore);
            JsonObject mine = sameAda.getJson("/api/v1/leaderboards/all/me");
            assertThat(mine.getLong("score")).isEqualTo(adaScore);
            assertThat(sameAda.getJson("/api/v1/categories").getJsonArray("categories")).hasSizeGreaterThanOrEqualTo(8);
            sameAda.close();
        }
    }

    private static void assertAdminFromEnvironmentCanSignIn(TestNode node, String username) {
        io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(node.vertx);
        HttpResponse<Buffer> login = TestPlayer.await(client.post(node.port(), "localhost", "/api/v1/auth/login")
            .sendJsonObject(new JsonObject().put("login", username).put("password", "an admin password from the environment")));
        assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
        assertThat(login.bodyAsJsonObject().getJsonObject("user").getString("role")).isEqualTo("admin");
        client.close();
    }

    private static void assertBadQueriesAreRefused(TestPlayer player) {
        assertProblem(player.get("/api/v1/me/matches?cursor=not-a-cursor"), 422, "VALIDATION_FAILED");
        assertProblem(player.get("/api/v1/me/matches?limit=0"), 422, "VALIDATION_FAILED");
        assertProblem(player.get("/api/v1/me/matches?limit=abc"), 422, "VALIDATION_FAILED");
        assertProblem(player.get("/api/v1/leaderboards/forever"), 404, "NOT_FOUND");
        assertProblem(player.get("/api/v1/leaderboards/all?offset=-1"), 422, "VALIDATION_FAILED");
        assertProblem(player.get("/api/v1/leaderboards/all?limit=100000"), 422, "VALIDATION_FAILED");
        assertProblem(player.get("/api/v1/matches/1%27%20OR%201=1"), 404, "NOT_FOUND");
        assertProblem(player.get("/api/v1/matches/" + UUID.randomUUID()), 404, "NOT_FOUND");
        assertProblem(player.anonymous("/api/v1/me/stats"), 401, "UNAUTHORIZED");
        assertProblem(player.anonymous("/api/v1/leaderboards/all"), 401, "UNAUTHORIZED");
    }

    private static void assertProblem(HttpResponse<Buffer> response, int status, String code) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo(code);
    }

    private static long scoreOf(JsonObject finished, UUID userId) {
        return finished.getJsonArray("ranking").stream().map(JsonObject.class::cast)
            .filter(l -> l.getString("userId").equals(userId.toString())).findFirst().orElseThrow().getLong("score");
    }

    private static void waitForHistory(TestPlayer player, String matchId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (player.getJson("/api/v1/me/matches").getJsonArray("items").size() == 1) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("match " + matchId + " never reached the history");
    }

    /** An operator's scraper reads the node's Prometheus metrics without a token. */
    private static void assertMetricsCountThem(TestPlayer player) {
        HttpResponse<Buffer> metrics = player.anonymous("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.getHeader("Content-Type")).startsWith("text/plain");
        List<String> lines = List.of(metrics.bodyAsString().split("\n"));
        assertThat(lines).anyMatch(line -> line.matches("quiz_connected_players\\{node=\"[^\"]+\"} 2\\.0"));
        assertThat(lines).anyMatch(line -> line.matches("quiz_live_matches\\{node=\"[^\"]+\"} 0\\.0"));
        assertThat(lines).anyMatch(line -> line.startsWith("quiz_process_cpu_seconds_total{"));
        assertThat(lines).anyMatch(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""));
    }
}
