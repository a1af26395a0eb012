package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.quizengine.engine.support.Scrape;
import org.quizengine.engine.support.SharedStores;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * A node asked to leave drains: the live match it owns moves to another node mid-question and
 * finishes there with every acknowledged answer and score; its players reconnect through another
 * node; the result is stored exactly once. Then a node whose player waits in a quick-match queue drains:
 * the close takes the player out of the queue, so they can queue again at once through another node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDrainTest {
    private static final String CLUSTER = "quiz-drain-" + UUID.randomUUID();
    private static final List<TestNode> nodes = new ArrayList<>();
    private static SharedStores stores;

    @BeforeAll
    static void startCluster() {
        stores = SharedStores.start();
        for (int i = 0; i < 3; i++) {
            Map<String, String> env = TestNode.clustered(CLUSTER, stores);
            // A question outlasts the drain and the reconnect even on a slow, busy machine; it still
            // closes at once when both players have answered, so the test is no slower for it.
            env.put("QUIZ_MATCH_QUESTION_MILLIS", "20000");
            nodes.add(TestNode.start(env));
        }
    }

    @AfterAll
    static void stopCluster() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        stores.close();
    }

    @Test
    @Order(1)
    void drainingTheNodeThatOwnsALiveMatchMovesItAndNothingIsLost() throws Exception {
        String run = Long.toString(System.nanoTime() % 100_000);
        // Players on the two nodes that will stay; the match may be placed on any of the three.
        TestPlayer ada = nodes.get(1).register("da" + run).connect();
        TestPlayer bob = nodes.get(2).register("db" + run).connect();
        for (TestPlayer p : List.of(ada, bob)) {
            p.next("no_match");
            p.send(new JsonObject().put("type", "quick_match").put("size", 2));
        }
        String matchId = ada.next("match_starting").getString("matchId");
        bob.next("match_starting");
        JsonObject q0 = ada.next("question", f -> f.getInteger("index") == 0);
        bob.next("question", f -> f.getInteger("index") == 0);
        ada.send(new JsonObject().put("type", "answer").put("index", 0).put("option", 2));
        ada.next("answer_accepted");

        TestNode owner = nodes.stream().filter(n -> n.node.liveMatches() == 1).findFirst().orElseThrow();
        int ownerIndex = nodes.indexOf(owner);
        owner.node.drain().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

        // Players whose socket was on the drained node are told to reconnect, and do, elsewhere.
        List<TestPlayer> playing = new ArrayList<>();
        for (TestPlayer p : List.of(ada, bob)) {
            if (nodes.indexOf(nodeOf(p)) == ownerIndex) {
                p.next("reconnect");
                p.awaitClosed();
                TestPlayer back = p.on(nodes.get(0)).connect();
                back.next("match_state", f -> f.getString("matchId").equals(matchId));
                playing.add(back);
            } else {
                playing.add(p);
            }
        }
        assertThat(nodes.stream().filter(n -> n != owner).mapToInt(n -> n.node.liveMatches()).sum())
            .as("the match runs on exactly one of the other nodes").isEqualTo(1);

        // bob answers question 0 after the move; the deadline is the one set before it.
        TestPlayer bobNow = playing.get(1);
        bobNow.send(new JsonObject().put("type", "answer").put("index", 0).put("option", 1));
        bobNow.next("answer_accepted", f -> f.getInteger("index") == 0);
        JsonObject reveal0 = bobNow.next("reveal", f -> f.getInteger("index") == 0);
        assertThat(optionOf(reveal0, ada.userId)).as("ada's acknowledged answer survived the move").isEqualTo(2);
        assertThat(optionOf(reveal0, bob.userId)).isEqualTo(1);
        assertThat(q0.getLong("deadline")).isGreaterThan(0);

        for (int i = 1; i < 3; i++) {
            int index = i;
            for (TestPlayer p : playing) {
                p.next("question", f -> f.getInteger("index") == index);
                p.send(new JsonObject().put("type", "answer").put("index", index).put("option", 0));
            }
        }
        JsonObject finished = playing.get(0).next("match_finished");
        assertThat(finished.getString("matchId")).isEqualTo(matchId);
        TestPlayer reader = playing.get(0);
        long deadline = System.currentTimeMillis() + 15_000;
        while (reader.getJson("/api/v1/me/matches").getJsonArray("items").isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(reader.getJson("/api/v1/me/matches").getJsonArray("items")).as("stored exactly once").hasSize(1);
        double handovers = 0;
        double failovers = 0;
        for (TestNode node : nodes) {
            if (node != owner) {
                Scrape metrics = Scrape.of(node);
                handovers += metrics.value("quiz_matches_taken_over_total", "reason=\"handover\"");
                failovers += metrics.value("quiz_matches_taken_over_total", "reason=\"failover\"");
            }
        }
        assertThat(handovers).as("the match counted as handed over on the node that took it").isEqualTo(1);
        assertThat(failovers).isZero();
        playing.forEach(TestPlayer::close);
    }

    @Test
    @Order(2)
    void aPlayerWaitingInAQueueOnADrainedNodeCanQueueAgainElsewhere() throws Exception {
        // The matchmaker runs on the oldest node still in the cluster; the player waits on the newest.
        List<TestNode> staying = nodes.stream().filter(n -> !n.node.draining()).toList();
        TestNode matchmakers = staying.get(0);
        TestNode drained = staying.get(staying.size() - 1);
        TestPlayer cy = drained.register("dc" + System.nanoTime() % 100_000).connect();
        cy.next("no_match");
        JsonObject quickMatch = new JsonObject().put("type", "quick_match").put("size", 3);
        cy.send(quickMatch);
        assertThat(cy.next("queued").getInteger("waiting")).isEqualTo(1);

        drained.node.drain().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        cy.next("reconnect");
        cy.awaitClosed();
        TestPlayer back = cy.on(matchmakers).connect();
        back.next("no_match");
        back.send(quickMatch);
        assertThat(back.next("queued").getInteger("waiting"))
            .as("queued afresh, not ALREADY_QUEUED under the place the close should have freed").isEqualTo(1);
        back.close();
    }

    private static TestNode nodeOf(TestPlayer player) {
        return nodes.stream().filter(n -> n.port() == player.port()).findFirst().orElseThrow();
    }

    private static Integer optionOf(JsonObject reveal, UUID userId) {
        return reveal.getJsonArray("results").stream().map(JsonObject.class::cast)
            .filter(r -> r.getString("userId").equals(userId.toString())).findFirst().orElseThrow().getInteger("option");
    }
}
