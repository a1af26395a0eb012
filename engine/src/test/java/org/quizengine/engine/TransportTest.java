package org.quizengine.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.engine.support.TestPlayer.await;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.engine.config.ConfigLoader;
import org.quizengine.engine.config.NodeOptions;

/**
 * The node's sockets run on Linux's epoll (the native library ships for Linux x86-64) unless told to
 * use NIO, on one event loop for every two processors unless told how many.
 */
class TransportTest {
    private static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";

    @Test
    void aNodeOnLinuxUsesEpollAndJavaNioWhenTheSettingIsOff(@TempDir Path dir) {
        assertThat(System.getProperty("os.name") + " " + System.getProperty("os.arch"))
            .as("the platform this project is built and run on, the one its native library is for").isEqualTo("Linux amd64");
        Vertx byDefault = await(Main.startVertx(options(dir, Map.of())));
        Vertx nio = null;
        try {
            nio = await(Main.startVertx(options(dir, Map.of("QUIZ_NODE_NATIVE_TRANSPORT", "false",
                "QUIZ_NODE_EVENT_LOOPS", "3"))));
            assertThat(byDefault.isNativeTransportEnabled()).as("epoll by default").isTrue();
            assertThat(nio.isNativeTransportEnabled()).as("QUIZ_NODE_NATIVE_TRANSPORT=false").isFalse();
            assertThat(eventLoops(byDefault)).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
            assertThat(eventLoops(nio)).as("QUIZ_NODE_EVENT_LOOPS=3").isEqualTo(3);
        } finally {
            await(byDefault.close());
            if (nio != null) {
                await(nio.close());
            }
        }
    }

    private static int eventLoops(Vertx vertx) {
        int loops = 0;
        for (EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
            loops++;
        }
        return loops;
    }

    private static NodeOptions options(Path dir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("QUIZ_STORAGE_DATA_DIR", dir.toString(),
            "QUIZ_AUTH_JWT_SECRET", SECRET));
        env.putAll(extra);
        return NodeOptions.from(ConfigLoader.load(env));
    }
}
