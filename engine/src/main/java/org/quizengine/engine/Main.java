package org.quizengine.engine;

import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.concurrent.atomic.AtomicReference;
import org.quizengine.engine.cluster.HazelcastSetup;
import org.quizengine.engine.config.ConfigException;
import org.quizengine.engine.config.ConfigLoader;
import org.quizengine.engine.config.NodeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one node: {@code java -jar engine/target/quiz-node.jar}. Configuration: config/application.json and QUIZ_* variables. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** The node running now (a node that lost its cluster is replaced by a new one), or null while it starts. */
    private static final AtomicReference<Node> CURRENT = new AtomicReference<>();
    private static volatile boolean shuttingDown;

    private Main() {
    }

    public static void main(String[] args) {
        LogSettings.checkOrExit();
        NodeOptions options;
        try {
            options = NodeOptions.from(ConfigLoader.load(System.getenv()));
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(Main::awaitStop, "quiz-shutdown"));
        run(options);
    }

    /**
     * Starts the node. A node that lost its cluster (cut off or frozen, and its matches taken over)
     * stops itself; it is then started again here, in this process, and joins as a new member.
     */
    private static void run(NodeOptions options) {
        // Every line this process logs in JSON names its node (in "context"; the text format leaves it out).
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            logging.putProperty("node", options.nodeId());
        }
        startVertx(options).compose(vertx -> Node.start(vertx, options)
                .onFailure(e -> vertx.close()))
            .onSuccess(node -> {
                CURRENT.set(node);
                LOG.info("Node {} serving on http://{}:{} (WebSocket at /ws){}", node.nodeId(),
                    "0.0.0.0".equals(options.http().host()) ? "localhost" : options.http().host(), node.port(),
                    options.cluster().enabled() ? ", cluster '" + options.cluster().name() + "'" : "");
                node.onOperatorDrain(() -> new Thread(() -> System.exit(0), "quiz-exit").start());
                node.onLeftCluster(() -> {
                    CURRENT.set(null);
                    if (!shuttingDown) {
                        LOG.warn("Node {} starting again to rejoin its cluster", node.nodeId());
                        // From a thread of our own: the closed Vert.x completes on threads without the
                        // application's class loader, which the new node's contexts would inherit.
                        Thread rejoin = new Thread(() -> run(options), "quiz-rejoin");
                        rejoin.setContextClassLoader(Main.class.getClassLoader());
                        rejoin.start();
                    }
                });
            })
            .onFailure(e -> {
                LOG.error("The node could not start: {}", e.getMessage(), e);
                System.exit(1);
            });
    }

    /** A plain Vert.x for a single node, or a clustered one that has joined its cluster. */
    public static io.vertx.core.Future<Vertx> startVertx(NodeOptions options) {
        Transport transport = transport(options);
        LOG.info("{} event loop(s); sockets use {}", options.eventLoops(),
            transport == Transport.NIO ? "Java NIO" : "the native " + transport.name() + " transport");
        VertxBuilder builder = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(options.eventLoops()))
            .withTransport(transport);
        if (!options.cluster().enabled()) {
            return io.vertx.core.Future.succeededFuture(builder.build());
        }
        return builder.withClusterManager(HazelcastSetup.clusterManager(options.cluster(), options.nodeId()))
            .buildClustered();
    }

    /** Linux's epoll when asked for and this platform has it, Java NIO otherwise. */
    private static Transport transport(NodeOptions options) {
        if (!options.nativeTransport()) {
            return Transport.NIO;
        }
        Transport preferred = Transport.nativeTransport();
        if (preferred != null && preferred.available()) {
            return preferred;
        }
        LOG.info("No native transport on this platform ({}); sockets use Java NIO",
            preferred == null ? "none for this system" : String.valueOf(preferred.unavailabilityCause()));
        return Transport.NIO;
    }

    private static void awaitStop() {
        shuttingDown = true;
        Node node = CURRENT.get();
        if (node == null) {
            return;
        }
        try {
            // SIGTERM: a clustered node drains (its matches move, its players reconnect elsewhere).
            node.drain().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The node did not stop cleanly", e);
        }
    }
}
