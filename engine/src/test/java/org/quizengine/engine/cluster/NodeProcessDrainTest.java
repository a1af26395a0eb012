package org.quizengine.engine.cluster;

import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.local.StoresProcess;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.TestPlayer;

/**
 * Draining real node processes: an operator drains one through another node's admin endpoint, and
 * a SIGTERM drains another; each leaves, its process exits, and the rest carry on.
 */
class NodeProcessDrainTest {
    private static final String CLUSTER = "quiz-proc-drain-" + UUID.randomUUID();
    private static final String ADMIN_PASSWORD = "an operator password for this run";
    private static StoresProcess stores;
    private static NodeProcess first;
    private static NodeProcess second;
    private static NodeProcess third;
    private static Vertx clients;

    @BeforeAll
    static void start() {
        stores = StoresProcess.start();
        List<Integer> ports = List.of(NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort());
        first = NodeProcess.start(env("drain-1", ports.get(0), ports));
        second = NodeProcess.start(env("drain-2", ports.get(1), ports));
        third = NodeProcess.start(env("drain-3", ports.get(2), ports));
        clients = Vertx.vertx();
    }

    private static Map<String, String> env(String id, int port, List<Integer> ports) {
        Map<String, String> env = new HashMap<>(stores.env());
        env.putAll(NodeProcess.clusterMember(CLUSTER, port, ports));
        env.put("QUIZ_NODE_ID", id);
        env.put("QUIZ_AUTH_ARGON2_MEMORY_KIB", "1024");
        env.put("QUIZ_AUTH_ARGON2_ITERATIONS", "1");
        env.put("QUIZ_AUTH_JWT_SECRET", "node-process-drain-test-secret-of-32-bytes+");
        env.put("QUIZ_AUTH_ADMIN_USERNAME", "operator");
        env.put("QUIZ_AUTH_ADMIN_EMAIL", "operator@example.test");
        env.put("QUIZ_AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        return env;
    }

    @AfterAll
    static void stop() {
        for (NodeProcess node : new NodeProcess[] {third, second, first}) {
            if (node != null) {
                node.close();
            }
        }
        if (stores != null) {
            stores.close();
        }
        if (clients != null) {
            TestPlayer.await(clients.close());
        }
    }

    @Test
    void anOperatorDrainsANodeThroughAnotherAndASigtermDrainsOneToo() throws Exception {
        TestPlayer operator = TestPlayer.login(clients, first.port(), "operator", ADMIN_PASSWORD);
        assertThat(operator.getJson("/api/v1/admin/nodes").getJsonArray("nodes")).hasSize(3);

        WebClient http = WebClient.create(clients);
        HttpResponse<Buffer> drain = TestPlayer.await(http.post(first.port(), "localhost", "/api/v1/admin/nodes/drain-3/drain")
            .bearerTokenAuthentication(operator.token).send());
        assertThat(drain.statusCode()).as(drain.bodyAsString()).isEqualTo(202);
        waitUntil(() -> !third.alive(), "the drained node's process exits");
        assertThat(Files.readString(third.log())).contains("drained; leaving the cluster");
        waitUntil(() -> operator.getJson("/api/v1/admin/nodes").getJsonArray("nodes").size() == 2, "two nodes left");

        HttpResponse<Buffer> unknown = TestPlayer.await(http.post(first.port(), "localhost", "/api/v1/admin/nodes/nope/drain")
            .bearerTokenAuthentication(operator.token).send());
        assertThat(unknown.statusCode()).isEqualTo(404);

        second.terminate(); // SIGTERM; fails the test if the process does not exit
        assertThat(Files.readString(second.log())).contains("drained; leaving the cluster");
        assertThat(first.ready()).isTrue();
        waitUntil(() -> operator.getJson("/api/v1/admin/nodes").getJsonArray("nodes").size() == 1, "one node left");
        http.close();
        operator.close();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
