package org.quizengine.engine.cluster;

import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.local.StoresProcess;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.quizengine.engine.support.TestPlayer;

/**
 * Two nodes in separate JVMs, one cluster (an isolated name per run), sharing one PostgreSQL and
 * Redis run by a third JVM. Players on different processes play a match together; then one node is
 * killed with SIGKILL, and the other goes on serving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeProcessTest {
    private static final String CLUSTER = "quiz-proc-test-" + UUID.randomUUID();
    private static StoresProcess stores;
    private static NodeProcess node1;
    private static NodeProcess node2;
    private static Vertx clients;

    /** A failure seen by a client is explained by the servers' logs: print their tails. */
    @RegisterExtension
    static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (var process : new Object[] {node1, node2, stores}) {
                if (process instanceof NodeProcess node) {
                    System.err.println(node.logTail());
                } else if (process instanceof StoresProcess s) {
                    System.err.println(s.logTail());
                }
            }
        }
    };

    @BeforeAll
    static void startStoresAndTwoNodes() {
        stores = StoresProcess.start();
        List<Integer> hazelcastPorts = List.of(NodeProcess.freePort(), NodeProcess.freePort());
        node1 = NodeProcess.start(nodeEnv("proc-1", hazelcastPorts.get(0), hazelcastPorts));
        node2 = NodeProcess.start(nodeEnv("proc-2", hazelcastPorts.get(1), hazelcastPorts));
        clients = Vertx.vertx();
    }

    private static Map<String, String> nodeEnv(String id, int hazelcastPort, List<Integer> hazelcastPorts) {
        Map<String, String> env = new HashMap<>(stores.env());
        env.putAll(NodeProcess.clusterMember(CLUSTER, hazelcastPort, hazelcastPorts));
        env.put("QUIZ_NODE_ID", id);
        env.put("QUIZ_MATCH_QUESTION_COUNT", "2");
        env.put("QUIZ_MATCH_QUESTION_MILLIS", "3000");
        env.put("QUIZ_MATCH_COUNTDOWN_MILLIS", "100");
        env.put("QUIZ_MATCH_REVEAL_MILLIS", "200");
        env.put("QUIZ_MATCHMAKING_FILL_TIMEOUT_MILLIS", "60000");
        env.put("QUIZ_AUTH_ARGON2_MEMORY_KIB", "1024");
        env.put("QUIZ_AUTH_ARGON2_ITERATIONS", "1");
        env.put("QUIZ_AUTH_JWT_SECRET", "node-process-test-secret-of-at-least-32-bytes");
        return env;
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (clients != null) {
                TestPlayer.await(clients.close());
            }
        } finally {
            // Nodes before the stores they drain into; each close is a no-op for what is already gone.
            for (AutoCloseable process : new AutoCloseable[] {node2, node1, stores}) {
                closeQuietly(process);
            }
        }
    }

    @Test
    @Order(1)
    void playersOnTwoNodeProcessesPlayOneQuickMatch() {
        try (TestPlayer ada = playerOn(node1, "pa"); TestPlayer bob = playerOn(node2, "pb")) {
            for (TestPlayer p : List.of(ada, bob)) {
                p.send(new JsonObject().put("type", "quick_match").put("size", 2));
            }
            // One matchmaker for the cluster: were the nodes apart, each player would wait alone for 60 s.
            String matchId = ada.next("match_starting").getString("matchId");
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
    }

    @Test
    @Order(2)
    void afterOneNodeIsKilledTheOtherStillServesNewPlayers() {
        long killedAt = System.nanoTime();
        node2.kill9();
        assertThat(node2.alive()).isFalse();

        assertThat(node1.ready()).as("node 1 ready after node 2 was killed\n%s", node1.logTail()).isTrue();
        try (TestPlayer cy = playerOn(node1, "pc")) {
            cy.send(new JsonObject().put("type", "ping").put("clientTime", 42));
            assertThat(cy.next("pong").getLong("clientTime")).isEqualTo(42L);
        }
        System.out.printf("node 1 served a new player %d ms after node 2 was killed%n",
            (System.nanoTime() - killedAt) / 1_000_000);
        assertThat(stores.alive()).as("the stores outlive a killed node").isTrue();
    }

    private static TestPlayer playerOn(NodeProcess node, String prefix) {
        TestPlayer player = TestPlayer.register(clients, node.port(), prefix + System.nanoTime() % 100_000).connect();
        player.next("no_match");
        return player;
    }

    private static void closeQuietly(AutoCloseable process) {
        if (process == null) {
            return;
        }
        try {
            process.close();
        } catch (Exception | AssertionError e) {
            System.err.println("Could not stop cleanly: " + e.getMessage());
        }
    }
}
