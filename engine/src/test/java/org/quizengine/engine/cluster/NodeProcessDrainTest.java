package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.ProcessCluster;
import org.quizengine.engine.support.TestPlayer;

/**
 * Draining real node processes ({@link ProcessCluster}): an operator drains one through another
 * node's admin endpoint, and a SIGTERM drains another; each leaves, its process exits, and the rest
 * carry on.
 */
class NodeProcessDrainTest {
    private static final String ADMIN_PASSWORD = "an operator password for this run";
    private static final Duration LEAVING = Duration.ofSeconds(30);
    @RegisterExtension
    static final ProcessCluster cluster = ProcessCluster.forTestClass("drain", 3, 0, Map.of(
            "QUIZ_AUTH_ADMIN_USERNAME", "operator",
            "QUIZ_AUTH_ADMIN_EMAIL", "operator@example.test",
            "QUIZ_AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD));

    @Test
    void anOperatorDrainsANodeThroughAnotherAndASigtermDrainsOneToo() throws Exception {
        NodeProcess first = cluster.node("drain-1");
        NodeProcess second = cluster.node("drain-2");
        NodeProcess third = cluster.node("drain-3");
        TestPlayer operator = cluster.track(TestPlayer.login(cluster.clients, first.port(), "operator", ADMIN_PASSWORD));
        assertThat(operator.getJson("/api/v1/admin/nodes").getJsonArray("nodes")).hasSize(3);

        WebClient http = WebClient.create(cluster.clients);
        HttpResponse<Buffer> drain = TestPlayer.await(http.post(first.port(), "localhost", "/api/v1/admin/nodes/drain-3/drain")
            .bearerTokenAuthentication(operator.token).send());
        assertThat(drain.statusCode()).as(drain.bodyAsString()).isEqualTo(202);
        Eventually.await("the drained node's process exits", LEAVING, () -> !third.alive());
        assertThat(Files.readString(third.log())).contains("drained; leaving the cluster");
        Eventually.await("two nodes left", LEAVING, () -> operator.getJson("/api/v1/admin/nodes").getJsonArray("nodes").size() == 2);

        HttpResponse<Buffer> unknown = TestPlayer.await(http.post(first.port(), "localhost", "/api/v1/admin/nodes/nope/drain")
            .bearerTokenAuthentication(operator.token).send());
        assertThat(unknown.statusCode()).isEqualTo(404);

        second.terminate(); // SIGTERM; fails the test if the process does not exit
        assertThat(Files.readString(second.log())).contains("drained; leaving the cluster");
        assertThat(first.ready()).isTrue();
        Eventually.await("one node left", LEAVING, () -> operator.getJson("/api/v1/admin/nodes").getJsonArray("nodes").size() == 1);
        http.close();
    }
}
