package org.quizengine.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.engine.support.TestPlayer.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.engine.config.ConfigLoader;
import org.quizengine.engine.config.NodeOptions;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/** A node that cannot start leaves nothing of its own running: its data directory serves the next start. */
class NodeStartTest {

    @Test
    void aNodeThatCannotTakeItsPortStopsItsStoresAndTheNextStartOnTheSameDataWorks(@TempDir Path dataDir)
            throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Map<String, String> env = TestNode.fastMatches();
            env.put("QUIZ_HTTP_PORT", String.valueOf(taken.getLocalPort()));
            env.put("QUIZ_STORAGE_DATA_DIR", dataDir.toString());
            Vertx vertx = Vertx.vertx();
            try {
                Future<Node> start = Node.start(vertx, NodeOptions.from(ConfigLoader.load(env)));
                Throwable failure = await(start.transform(done -> Future.succeededFuture(done.cause())),
                    TestPlayer.WAIT.multipliedBy(4));
                assertThat(failure).as("the start fails on its port").isNotNull();
                assertThat(failure.getMessage()).contains("Address already in use");
            } finally {
                await(vertx.close());
            }
        }
        // Its embedded PostgreSQL and Redis were stopped: a second start on the same data directory,
        // in the same process, starts its own and serves.
        try (TestNode node = TestNode.start(TestNode.fastMatches(), dataDir)) {
            TestPlayer player = node.register("after-a-failed-start"); // 201, stored in its PostgreSQL
            assertThat(player.userId).isNotNull();
            player.close();
        }
    }
}
