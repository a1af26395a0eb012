package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.SharedStores;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * Three clustered nodes on loopback (an isolated cluster name per run) share one event bus and one
 * PostgreSQL/Redis. Players connected to different nodes are matched and play together; a lobby
 * code made through one node is joined through another; a node that joins takes new matches.
 */
class ClusterPlayTest {
    private static final String CLUSTER = "quiz-test-" + UUID.randomUUID();
    private static final List<TestNode> nodes = new ArrayList<>();
    private static SharedStores stores;

    @BeforeAll
    static void startCluster() {
        stores = SharedStores.start();
        for (int i = 0; i < 3; i++) {
            nodes.add(TestNode.start(withAdmin()));
        }
    }

    private static java.util.Map<String, String> withAdmin() {
        java.util.Map<String, String> env = TestNode.clustered(CLUSTER, stores);
        env.put("QUIZ_AUTH_ADMIN_USERNAME", "operator");
        env.put("QUIZ_AUTH_ADMIN_EMAIL", "operator@example.test");
        env.put("QUIZ_AUTH_ADMIN_PASSWORD", "the operator's own password");
        return env;
    }

    @AfterAll
    static void stopCluster() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        stores.close();
    }

    private static TestPlayer playerOn(int node, String name) {
        TestPlayer player = nodes.get(node).register(name + System.nanoTime() % 100_000).connect();
        player.next("no_match");
        return player;
    }

    @Test
    void onlyTheOldestMemberRunsTheMatchmaker() {
        assertThat(nodes.stream().filter(n -> n.node.runsMatchmaker()).count()).isEqualTo(1);
        assertThat(nodes.get(0).node.runsMatchmaker()).isTrue();
    }

    @Test
    void playersOnThreeNodesPlayOneMatchAndItIsStoredOnce() throws InterruptedException {
        try (TestPlayer ada = playerOn(0, "ca"); TestPlayer bob = playerOn(1, "cb"); TestPlayer cy = playerOn(2, "cc")) {
            for (TestPlayer p : List.of(ada, bob, cy)) {
                p.send(new JsonObject().put("type", "quick_match").put("size", 3).put("category", "history"));
            }
            String matchId = ada.next("match_starting").getString("matchId");
            assertThat(bob.next("match_starting").getString("matchId")).isEqualTo(matchId);
            assertThat(cy.next("match_starting").getString("matchId")).isEqualTo(matchId);
            for (int i = 0; i < 3; i++) {
                int index = i;
                for (TestPlayer p : List.of(ada, bob, cy)) {
                    p.next("question", f -> f.getInteger("index") == index);
                    p.send(new JsonObject().put("type", "answer").put("index", index).put("option", index % 4));
                    p.next("answer_accepted", f -> f.getInteger("index") == index);
                }
            }
            List<JsonObject> rankings = List.of(ada.next("match_finished"), bob.next("match_finished"),
                cy.next("match_finished"));
            assertThat(rankings).extracting(f -> f.getJsonArray("ranking")).containsOnly(rankings.get(0).getJsonArray("ranking"));

            for (TestPlayer p : List.of(ada, bob, cy)) {
                JsonObject history = waitForMatches(p, 1);
                assertThat(history.getJsonArray("items")).hasSize(1);
                assertThat(history.getJsonArray("items").getJsonObject(0).getString("matchId")).isEqualTo(matchId);
            }
        }
    }

    @Test
    void aLobbyCodeMadeThroughOneNodeIsJoinedThroughAnother() {
        try (TestPlayer host = playerOn(0, "lh"); TestPlayer guest = playerOn(2, "lg")) {
            host.send(new JsonObject().put("type", "create_lobby").put("questionCount", 1).put("secondsPerQuestion", 5));
            String code = host.next("lobby").getString("code");
            guest.send(new JsonObject().put("type", "join_lobby").put("code", code));
            assertThat(guest.next("lobby").getJsonArray("players")).hasSize(2);
            host.next("lobby", f -> f.getJsonArray("players").size() == 2);
            host.send(new JsonObject().put("type", "start_lobby"));
            String matchId = host.next("match_starting").getString("matchId");
            assertThat(guest.next("match_starting").getString("matchId")).isEqualTo(matchId);
            for (TestPlayer p : List.of(host, guest)) {
                p.next("question");
                p.send(new JsonObject().put("type", "answer").put("index", 0).put("option", 1));
            }
            host.next("match_finished");
            guest.next("match_finished");
        }
    }

    @Test
    void twoQuickMatchFramesSentTogetherOr50MsApartPlaceThePlayerInOneMatchOnly() throws InterruptedException {
        // The reproduced bug: ann's first frame completes a group with bob; her second, sent at once
        // or 50 ms later, was queued too, and cy then made her a second match.
        for (int gapMillis : new int[] {0, 50}) {
            try (TestPlayer bob = playerOn(1, "db"); TestPlayer ann = playerOn(0, "da"); TestPlayer cy = playerOn(2, "dc")) {
                bob.send(quickMatch("sports"));
                bob.next("queued");
                ann.send(quickMatch("sports"));
                Thread.sleep(gapMillis);
                ann.send(quickMatch("sports"));
                String matchId = ann.next("match_starting").getString("matchId");
                assertThat(bob.next("match_starting").getString("matchId")).isEqualTo(matchId);
                assertThat(ann.nextError("ALREADY_IN_MATCH").getString("ref")).as("%d ms apart", gapMillis)
                    .isEqualTo("quick_match");

                cy.send(quickMatch("sports"));
                assertThat(cy.next("queued").getInteger("waiting")).as("nobody left in the queue for cy").isEqualTo(1);
                Thread.sleep(500);
                assertThat(ann.all("match_starting")).as("ann's matches, %d ms apart", gapMillis).hasSize(1);
                assertThat(cy.all("match_starting")).isEmpty();
            }
        }
    }

    @Test
    void aPlayerInALiveMatchCannotQueueThroughASocketOnAnotherNode() throws InterruptedException {
        try (TestPlayer ann = playerOn(0, "ea"); TestPlayer bob = playerOn(1, "eb"); TestPlayer cy = playerOn(2, "ec")) {
            ann.send(quickMatch("geography"));
            bob.send(quickMatch("geography"));
            String matchId = ann.next("match_starting").getString("matchId");
            bob.next("match_starting");
            // A second device on another node: its socket knows no match yet when it asks.
            try (TestPlayer annElsewhere = ann.onPort(nodes.get(2).port()).connect()) {
                annElsewhere.send(quickMatch("geography"));
                cy.send(quickMatch("geography"));
                assertThat(annElsewhere.nextError("ALREADY_IN_MATCH").getString("ref")).isEqualTo("quick_match");
                assertThat(cy.next("queued").getInteger("waiting")).isEqualTo(1);
                Thread.sleep(500);
                assertThat(annElsewhere.all("match_starting")).as("a second match for ann").isEmpty();
                assertThat(cy.all("match_starting")).isEmpty();
                assertThat(annElsewhere.next("match_state").getString("matchId")).as("she is put back into hers").isEqualTo(matchId);
            }
        }
    }

    private static JsonObject quickMatch(String category) {
        return new JsonObject().put("type", "quick_match").put("size", 2).put("category", category);
    }

    @Test
    void aNodeThatJoinsDuringPlayTakesTheNextMatchAndOperatorsSeeIt() throws InterruptedException {
        List<TestPlayer> players = new ArrayList<>();
        try {
            // Long matches until each of the three nodes runs at least one (fewest live matches first;
            // a burst may put two on one node before the next load report).
            for (int m = 0; m < 9 && nodes.stream().anyMatch(n -> n.node.liveMatches() == 0); m++) {
                startMatch(players, m % 3);
                Thread.sleep(300);
            }
            assertThat(nodes).allMatch(n -> n.node.liveMatches() >= 1);
            int before = nodes.stream().mapToInt(n -> n.node.liveMatches()).sum();

            TestNode fourth = TestNode.start(withAdmin());
            nodes.add(fourth);
            // Through the oldest node: it runs the matchmaker, so its view is the one that places matches.
            TestPlayer operator = TestPlayer.login(nodes.get(0).vertx, nodes.get(0).port(), "operator",
                "the operator's own password");
            waitUntil(() -> operator.getJson("/api/v1/admin/nodes").getJsonArray("nodes").stream()
                .map(JsonObject.class::cast).filter(n -> n.getBoolean("reporting")).count() == 4, "four nodes reporting");

            startMatch(players, 0);
            waitUntil(() -> fourth.node.liveMatches() == 1, "the new node runs the next match");

            waitUntil(() -> operator.getJson("/api/v1/admin/nodes").getJsonArray("nodes").stream().map(JsonObject.class::cast)
                .mapToInt(n -> n.getInteger("liveMatches")).sum() == before + 1, "operators see every live match");
            assertThat(operator.getJson("/api/v1/admin/nodes").getJsonArray("nodes")).hasSize(4);
            assertThat(players.get(0).get("/api/v1/admin/nodes").statusCode()).as("players are not operators").isEqualTo(403);
            assertThat(fourth.node.runsMatchmaker()).as("the matchmaker stays with the oldest member").isFalse();
            assertOperatorsSeeOneMatchmakerAndOneView(operator);
            operator.close();
        } finally {
            players.forEach(TestPlayer::close);
        }
    }

    /** What an operator checks for a split brain and a stuck outbox, in /admin/nodes and in /metrics. */
    private static void assertOperatorsSeeOneMatchmakerAndOneView(TestPlayer operator) throws InterruptedException {
        List<String> ids = nodes.stream().map(n -> n.node.nodeId()).toList();
        String oldest = ids.get(0);
        waitUntil(() -> operator.getJson("/api/v1/admin/nodes").getBoolean("viewsAgree"), "every node reports all four members");
        JsonObject view = operator.getJson("/api/v1/admin/nodes");
        assertThat(view.getString("answeredBy")).isEqualTo(oldest);
        assertThat(view.getJsonArray("members").getList()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(view.getJsonArray("matchmakers").getList()).containsExactly(oldest);
        for (JsonObject node : view.getJsonArray("nodes").stream().map(JsonObject.class::cast).toList()) {
            assertThat(node.getBoolean("member")).isTrue();
            assertThat(node.getJsonArray("members").getList()).as("%s's members", node.getString("nodeId"))
                .containsExactlyInAnyOrderElementsOf(ids);
            assertThat(node.getBoolean("runsMatchmaker")).isEqualTo(node.getString("nodeId").equals(oldest));
        }
        JsonObject outbox = view.getJsonObject("outbox");
        assertThat(outbox.getInteger("pendingResults")).isNotNegative();
        assertThat(outbox.getLong("oldestPendingMillis")).isNotNegative();

        for (TestNode node : nodes) {
            WebClient web = WebClient.create(node.vertx);
            String metrics = TestPlayer.await(web.get(node.port(), "localhost", "/metrics").send()).bodyAsString();
            web.close();
            boolean runs = node.node.nodeId().equals(oldest);
            assertThat(metrics).containsPattern("(?m)^quiz_cluster_members\\{node=\"[^\"]+\"} 4\\.0$")
                .containsPattern("(?m)^quiz_matchmaker_running\\{node=\"[^\"]+\"} " + (runs ? "1" : "0") + "\\.0$")
                .containsPattern("(?m)^quiz_results_pending\\{node=\"[^\"]+\"} \\d+\\.0$")
                .containsPattern("(?m)^quiz_results_oldest_pending_seconds\\{node=\"[^\"]+\"} [0-9.]+$");
        }
    }

    private static void startMatch(List<TestPlayer> players, int node) {
        TestPlayer a = playerOn(node, "ja");
        TestPlayer b = playerOn((node + 1) % 3, "jb");
        players.add(a);
        players.add(b);
        for (TestPlayer p : List.of(a, b)) {
            p.send(new JsonObject().put("type", "quick_match").put("size", 2).put("category", "nature"));
        }
        a.next("match_starting");
        b.next("match_starting");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static JsonObject waitForMatches(TestPlayer player, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonObject history;
        do {
            history = player.getJson("/api/v1/me/matches");
            if (history.getJsonArray("items").size() >= count) {
                return history;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        return history;
    }
}
