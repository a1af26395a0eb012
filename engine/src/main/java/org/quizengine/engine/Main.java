package org.quizengine.engine;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.quizengine.engine.config.ConfigException;
import org.quizengine.engine.config.ConfigLoader;
import org.quizengine.engine.config.NodeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one node: {@code java -jar engine/target/quiz-node.jar}. Configuration: config/application.json and QUIZ_* variables. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        NodeOptions options;
        try {
            options = NodeOptions.from(ConfigLoader.load(System.getenv()));
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions());
        Node.start(vertx, options)
            .onSuccess(node -> {
                LOG.info("Node {} serving on http://{}:{} (WebSocket at /ws)", options.nodeId(),
                    "0.0.0.0".equals(options.http().host()) ? "localhost" : options.http().host(), node.port());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitStop(node), "quiz-shutdown"));
            })
            .onFailure(e -> {
                LOG.error("The node could not start: {}", e.getMessage(), e);
                vertx.close().onComplete(v -> System.exit(1));
            });
    }

    private static void awaitStop(Node node) {
        try {
            node.stop().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The node did not stop cleanly", e);
        }
    }
}
