package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.support.ProcessCluster;
import org.quizengine.engine.support.TestPlayer;

/**
 * Two nodes in separate JVMs, one cluster, sharing one PostgreSQL and Redis run by a third JVM
 * ({@link ProcessCluster}). Players on different processes play a match together; then one node is
 * killed with SIGKILL, and the other goes on serving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeProcessTest {
    @RegisterExtension
    static final ProcessCluster cluster = ProcessCluster.forTestClass("proc", 2, 0, Map.of(
            "QUIZ_MATCH_QUESTION_COUNT", "2", "QUIZ_MATCH_QUESTION_MILLIS", "3000", "QUIZ_MATCH_REVEAL_MILLIS", "200",
            "QUIZ_LOG_FORMAT", "json"));
    private static String playedMatchId;
    private static final List<String> TOKENS = new ArrayList<>();

    @Test
    @Order(1)
    void playersOnTwoNodeProcessesPlayOneQuickMatch() {
        TestPlayer ada = cluster.playerOn(cluster.node("proc-1"), "pa");
        TestPlayer bob = cluster.playerOn(cluster.node("proc-2"), "pb");
        for (TestPlayer p : List.of(ada, bob)) {
            p.send(new JsonObject().put("type", "quick_match").put("size", 2));
        }
        // One matchmaker for the cluster: were the nodes apart, each player would wait alone for 60 s.
        String matchId = ada.next("match_starting").getString("matchId");
        playedMatchId = matchId;
        TOKENS.addAll(List.of(ada.token, bob.token));
        assertThat(bob.next("match_starting").getString("matchId")).isEqualTo(matchId);
        for (int i = 0; i < 2; i++) {
            int index = i;
            for (TestPlayer p : List.of(ada, bob)) {
                p.next("question", f -> f.getInteger("index") == index);
                p.send(new JsonObject().put("type", "answer").put("index", index).put("option", index));
                p.next("answer_accepted", f -> f.getInteger("index") == index);
            }
        }
        JsonObject adaSees = ada.next("match_finished");
        JsonObject bobSees = bob.next("match_finished");
        assertThat(bobSees.getJsonArray("ranking")).isEqualTo(adaSees.getJsonArray("ranking"));
        assertThat(adaSees.getJsonArray("ranking").encode()).contains(ada.username, bob.username);
    }

    @Test
    @Order(2)
    void afterOneNodeIsKilledTheOtherStillServesNewPlayers() {
        NodeProcess first = cluster.node("proc-1");
        NodeProcess second = cluster.node("proc-2");
        long killedAt = System.nanoTime();
        second.kill9();
        assertThat(second.alive()).isFalse();

        assertThat(first.ready()).as("node 1 ready after node 2 was killed\n%s", first.logTail()).isTrue();
        TestPlayer cy = cluster.playerOn(first, "pc");
        cy.send(new JsonObject().put("type", "ping").put("clientTime", 42));
        assertThat(cy.next("pong").getLong("clientTime")).isEqualTo(42L);
        System.out.printf("node 1 served a new player %d ms after node 2 was killed%n",
            (System.nanoTime() - killedAt) / 1_000_000);
        assertThat(cluster.stores().alive()).as("the stores outlive a killed node").isTrue();
    }

    @Test
    @Order(3)
    void everyLogLineIsJsonNamingItsNodeAndTheMatchItIsAboutButNoToken() throws IOException {
        NodeProcess node = cluster.node("proc-1");
        List<JsonObject> lines = new ArrayList<>();
        for (String line : Files.readAllLines(node.log(), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(new JsonObject(line));
            }
        }
        assertThat(lines).isNotEmpty();
        for (JsonObject line : lines) {
            assertThat(line.getJsonObject("context").getJsonObject("properties").getString("node")).as(line.encode())
                .isEqualTo("proc-1");
            assertThat(line.getString("level")).isNotBlank();
            assertThat(line.getString("formattedMessage")).isNotNull();
            for (String token : TOKENS) {
                assertThat(line.encode()).doesNotContain(token);
            }
        }
        // The match was played on one of the two nodes; wherever it ran, its lines carry its id as a field.
        List<JsonObject> aboutTheMatch = new ArrayList<>();
        for (NodeProcess each : List.of(node, cluster.node("proc-2"))) {
            for (String line : Files.readAllLines(each.log(), StandardCharsets.UTF_8)) {
                if (line.contains("\"match\":\"" + playedMatchId + "\"")) {
                    aboutTheMatch.add(new JsonObject(line));
                }
            }
        }
        assertThat(aboutTheMatch.stream().map(l -> l.getString("formattedMessage")))
            .anySatisfy(message -> assertThat(message).startsWith("Match " + playedMatchId + " started"))
            .anySatisfy(message -> assertThat(message).startsWith("Match " + playedMatchId + " finished"));
    }
}
