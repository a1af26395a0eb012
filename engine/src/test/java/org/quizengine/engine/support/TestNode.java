package org.quizengine.engine.support;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.quizengine.engine.Main;
import org.quizengine.engine.Node;
import org.quizengine.engine.config.ConfigLoader;
import org.quizengine.engine.config.NodeOptions;

/**
 * A real node for integration tests: embedded PostgreSQL and Redis in a fresh data directory, an
 * ephemeral port, quick matches paced for tests. Settings are given as the QUIZ_* variables an
 * operator would set, so the test goes through the same configuration path as production.
 */
public final class TestNode implements AutoCloseable {
    private static final String CLUSTER_SECRET = java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID();
    public final Vertx vertx;
    public final Node node;
    public final Path dataDir;

    private TestNode(Vertx vertx, Node node, Path dataDir) {
        this.vertx = vertx;
        this.node = node;
        this.dataDir = dataDir;
    }

    /** Test pacing: 3 questions of 3 s, short pauses, cheap password hashing. */
    public static Map<String, String> fastMatches() {
        Map<String, String> env = new HashMap<>();
        env.put("QUIZ_HTTP_PORT", "0");
        env.put("QUIZ_HTTP_HOST", "127.0.0.1");
        // Two loops, so two HTTP servers: a request and what answers it may be on different loops.
        env.put("QUIZ_NODE_EVENT_LOOPS", "2");
        env.put("QUIZ_MATCH_QUESTION_COUNT", "3");
        env.put("QUIZ_MATCH_QUESTION_MILLIS", "3000");
        env.put("QUIZ_MATCH_COUNTDOWN_MILLIS", "100");
        env.put("QUIZ_MATCH_REVEAL_MILLIS", "300");
        env.put("QUIZ_MATCH_LINGER_MILLIS", "2000");
        env.put("QUIZ_MATCHMAKING_FILL_TIMEOUT_MILLIS", "60000");
        env.put("QUIZ_AUTH_ARGON2_MEMORY_KIB", "1024");
        env.put("QUIZ_AUTH_ARGON2_ITERATIONS", "1");
        return env;
    }

    public static TestNode start(Map<String, String> env) {
        try {
            Path dataDir = Files.createTempDirectory("quiz-node-test");
            return start(env, dataDir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static TestNode start(Map<String, String> env, Path dataDir) {
        Map<String, String> all = new HashMap<>(env);
        all.put("QUIZ_STORAGE_DATA_DIR", dataDir.toString());
        NodeOptions options = NodeOptions.from(ConfigLoader.load(all));
        // Long enough for the start's own retries: each failed join waits out Hazelcast's backup timeout.
        Node node = TestPlayer.await(Main.startNode(options), TestPlayer.WAIT.multipliedBy(3));
        return new TestNode(node.vertx(), node, dataDir);
    }

    /** Settings for a clustered node on loopback, in the cluster {@code name}, using shared stores. */
    public static Map<String, String> clustered(String name, SharedStores stores) {
        Map<String, String> env = fastMatches();
        env.put("QUIZ_CLUSTER_ENABLED", "true");
        env.put("QUIZ_CLUSTER_NAME", name);
        env.put("QUIZ_CLUSTER_MEMBERS", "127.0.0.1");
        env.put("QUIZ_CLUSTER_INTERFACE", "127.0.0.1");
        env.put("QUIZ_AUTH_JWT_SECRET", CLUSTER_SECRET); // one secret, so any node accepts any node's tokens
        env.putAll(stores.env());
        return env;
    }

    public int port() {
        return node.port();
    }

    public TestPlayer register(String username) {
        return TestPlayer.register(vertx, port(), username);
    }

    @Override
    public void close() {
        if (!node.draining()) { // a drained node has already stopped, Vert.x and all
            TestPlayer.await(node.stop());
        }
    }
}
