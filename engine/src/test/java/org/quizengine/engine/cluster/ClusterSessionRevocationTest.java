package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
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
 * Two clustered nodes over one PostgreSQL and Redis: a logout through one node closes the player's
 * socket on the other at once, and neither node accepts the session's token any more.
 */
class ClusterSessionRevocationTest {
    private static final String CLUSTER = "quiz-test-" + UUID.randomUUID();
    private static final List<TestNode> nodes = new ArrayList<>();
    private static SharedStores stores;

    @BeforeAll
    static void startCluster() {
        stores = SharedStores.start();
        for (int i = 0; i < 2; i++) {
            nodes.add(TestNode.start(TestNode.clustered(CLUSTER, stores)));
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
    void aLogoutThroughOneNodeClosesTheSocketOnAnother() {
        TestNode restNode = nodes.get(0);
        TestNode socketNode = nodes.get(1);
        WebClient http = WebClient.create(restNode.vertx);
        try (TestPlayer player = socketNode.register("xrev" + System.nanoTime() % 100_000).connect()) {
            player.next("no_match");

            HttpResponse<Buffer> loggedOut = TestPlayer.await(http.post(restNode.port(), "localhost", "/api/v1/auth/logout")
                .bearerTokenAuthentication(player.token).send());
            assertThat(loggedOut.statusCode()).isEqualTo(204);

            player.nextError("SESSION_REVOKED");
            assertThat(player.awaitClosed()).isEqualTo((short) 4001);
            for (TestNode any : nodes) {
                try (TestPlayer there = player.on(any)) {
                    HttpResponse<Buffer> me = there.get("/api/v1/me");
                    assertThat(me.statusCode()).isEqualTo(401);
                    assertThat(me.bodyAsJsonObject().getString("code")).isEqualTo("SESSION_REVOKED");
                }
            }
        } finally {
            http.close();
        }
    }
}
