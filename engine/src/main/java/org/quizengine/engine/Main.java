package org.quizengine.engine;

import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.concurrent.atomic.AtomicReference;
import org.quizengine.engine.cluster.HazelcastSetup;
import org.quizengine.engine.cluster.IndeterminateWrites;
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
    /** How many times a node tries to start when a backup's acknowledgement went missing as it joined. */
    private static final int START_ATTEMPTS = 3;

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
        startNode(options)
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

    /**
     * Vert.x, then the node on it. A member joining its cluster writes Vert.x's own subscriptions to a
     * Hazelcast map with a synchronous backup; on a loaded machine the backup's acknowledgement can
     * miss Hazelcast's backup timeout, and that write fails as indeterminate though the cluster is
     * fine. The node then leaves and starts once more, as a new member; any other failure is final.
     */
    public static Future<Node> startNode(NodeOptions options) {
        Promise<Node> started = Promise.promise();
        startNode(options, 1, started);
        return started.future();
    }

    private static void startNode(NodeOptions options, int attempt, Promise<Node> started) {
        startVertx(options)
            // A clustered Vert.x that failed to build has closed itself.
            .onFailure(e -> startAgainOrFail(options, attempt, started, e, Future.succeededFuture()))
            .onSuccess(vertx -> Future.succeededFuture(vertx).compose(v -> Node.start(v, options))
                .onSuccess(started::complete)
                .onFailure(e -> startAgainOrFail(options, attempt, started, e, vertx.close())));
    }

    /** A final failure is reported at once (the failed member closes meanwhile); a retry waits for that close. */
    private static void startAgainOrFail(NodeOptions options, int attempt, Promise<Node> started, Throwable e,
            Future<Void> closed) {
        if (attempt >= START_ATTEMPTS || !IndeterminateWrites.indeterminate(e)) {
            started.fail(e);
            return;
        }
        LOG.warn("The node could not join its cluster: {}; starting again as a new member", e.getMessage());
        closed.onComplete(done -> {
            // From a thread of our own, as for a rejoin: the closed Vert.x completes on threads
            // without the application's class loader, which the new node's contexts would inherit.
            Thread again = new Thread(() -> startNode(options, attempt + 1, started), "quiz-start-again");
            again.setContextClassLoader(Main.class.getClassLoader());
            again.start();
        });
    }

    /** A plain Vert.x for a single node, or a clustered one that has joined its cluster. */
    public static Future<Vertx> startVertx(NodeOptions options) {
        Transport transport = transport(options);
        LOG.info("{} event loop(s); sockets use {}", options.eventLoops(),
            transport == Transport.NIO ? "Java NIO" : "the native " + transport.name() + " transport");
        VertxBuilder builder = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(options.eventLoops()))
            .withTransport(transport);
        if (!options.cluster().enabled()) {
            return Future.succeededFuture(builder.build());
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
