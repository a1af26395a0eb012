package org.quizengine.engine.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.quizengine.api.http.Problems;
import org.quizengine.engine.persistence.ResultOutbox;

/**
 * The node's Prometheus metrics at {@code GET /metrics}: JVM memory, GC, threads and CPU, plus what
 * the node serves (connected players, live matches), what it believes of the cluster (members it
 * sees, whether it runs the matchmaker: a split brain shows as nodes that disagree), the cluster's
 * results outbox and whether the stores answer, all read when scraped; and what the game records
 * as it runs ({@link GameMeters}: answers and their acknowledgement latency, question lateness,
 * matchmaking waits, error frames and problem responses by code, takeovers and handovers, result
 * store lag). The benchmark harness reads server CPU and heap per connected player from here.
 * README.md's metrics table says what each name means; deploy/ holds the alerts and dashboard on them.
 */
public final class NodeMetrics {
    public static final String PATH = "/metrics";
    public static final String CONNECTED_PLAYERS = "quiz_connected_players";
    public static final String LIVE_MATCHES = "quiz_live_matches";
    public static final String PROCESS_CPU_SECONDS = "quiz_process_cpu_seconds";
    public static final String CLUSTER_MEMBERS = "quiz_cluster_members";
    public static final String MATCHMAKER_RUNNING = "quiz_matchmaker_running";
    public static final String RESULTS_PENDING = "quiz_results_pending";
    public static final String RESULTS_OLDEST_PENDING_SECONDS = "quiz_results_oldest_pending_seconds";
    public static final String STORE_UP = "quiz_store_up";
    public static final String POSTGRES_POOL_CONNECTIONS = "quiz_postgres_pool_connections";
    public static final String NODE_DRAINING = "quiz_node_draining";
    public static final String MATCHMAKING_QUEUED = "quiz_matchmaking_queued";
    // Recorded as the game runs (GameMeters); Prometheus adds _total to counters, _seconds to timers.
    public static final String ANSWERS = "quiz_answers";
    public static final String ANSWER_ACK = "quiz_answer_ack";
    public static final String QUESTION_LATENESS = "quiz_question_lateness";
    public static final String MATCHMAKING_WAIT = "quiz_matchmaking_wait";
    public static final String FRAMES_REJECTED = "quiz_frames_rejected";
    public static final String HTTP_RESPONSES = "quiz_http_responses";
    public static final String REST_ERRORS = "quiz_rest_errors";
    public static final String MATCHES_TAKEN_OVER = "quiz_matches_taken_over";
    public static final String MATCHES_HANDED_OVER = "quiz_matches_handed_over";
    public static final String MATCHES_FINISHED = "quiz_matches_finished";
    public static final String RESULT_STORE_LAG = "quiz_result_store_lag";
    public static final String UNHANDLED_ERRORS = "quiz_unhandled_errors";
    /** How long a scrape waits for a store's ping before reporting it down. */
    static final long STORE_PING_MILLIS = 1_000;

    /** What the node knows of the cluster, read at each scrape. */
    public record ClusterFigures(IntSupplier members, BooleanSupplier runsMatchmaker,
                                 Supplier<Future<ResultOutbox.Backlog>> backlog) {
    }

    /** What the node serves, read at each scrape: matchmaking queue length is 0 but on the matchmaker's node. */
    public record NodeFigures(IntSupplier connectedPlayers, IntSupplier liveMatches, IntSupplier matchmakingQueued,
                              BooleanSupplier draining) {
    }

    /** Pings of the stores, made before each scrape (a store that does not answer in time is down), and the PostgreSQL pool's size. */
    public record StorePings(Supplier<Future<Void>> postgres, Supplier<Future<Void>> redis, IntSupplier postgresConnections) {
    }

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<Future<ResultOutbox.Backlog>> backlog;
    /** The backlog read just before the current scrape; {@code null} when it could not be read (NaN then). */
    private final AtomicReference<ResultOutbox.Backlog> lastBacklog = new AtomicReference<>();
    private final StorePings pings;
    private volatile boolean postgresUp;
    private volatile boolean redisUp;
    private final GameMeters game;

    /** Every supplier is read only when {@code /metrics} is scraped, so they may name parts started later. */
    public NodeMetrics(Vertx vertx, String nodeId, NodeFigures node, ClusterFigures cluster, StorePings pings) {
        this.vertx = vertx;
        this.backlog = cluster.backlog();
        this.pings = pings;
        registry.config().commonTags("node", nodeId);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder(CONNECTED_PLAYERS, node.connectedPlayers()::getAsInt)
            .description("WebSockets open on this node").register(registry);
        Gauge.builder(LIVE_MATCHES, node.liveMatches()::getAsInt)
            .description("Matches running on this node").register(registry);
        Gauge.builder(MATCHMAKING_QUEUED, node.matchmakingQueued()::getAsInt)
            .description("Players waiting in quick-match queues (0 on nodes that do not run the matchmaker)").register(registry);
        Gauge.builder(NODE_DRAINING, () -> node.draining().getAsBoolean() ? 1 : 0)
            .description("1 while this node drains (hands its matches over and leaves)").register(registry);
        Gauge.builder(STORE_UP, () -> postgresUp ? 1 : 0).tag("store", "postgres")
            .description("1 if the store answered a ping just before this scrape").register(registry);
        Gauge.builder(STORE_UP, () -> redisUp ? 1 : 0).tag("store", "redis")
            .description("1 if the store answered a ping just before this scrape").register(registry);
        Gauge.builder(POSTGRES_POOL_CONNECTIONS, pings.postgresConnections()::getAsInt)
            .description("Connections open in this node's PostgreSQL pool (at most QUIZ_STORAGE_POSTGRES_POOL_SIZE)").register(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            // Total CPU time of the process, so a scraper can divide it by work done in the same interval.
            FunctionCounter.builder(PROCESS_CPU_SECONDS, os, bean -> bean.getProcessCpuTime() / 1e9)
                .description("CPU time used by this node's process, all threads").register(registry);
        }
        registerCluster(cluster);
        game = new GameMeters(registry);
    }

    /** The meters the game records into as it runs. */
    public GameMeters game() {
        return game;
    }

    private void registerCluster(ClusterFigures cluster) {
        Gauge.builder(CLUSTER_MEMBERS, cluster.members()::getAsInt)
            .description("Cluster members this node sees (itself included); nodes that disagree are split")
            .register(registry);
        Gauge.builder(MATCHMAKER_RUNNING, () -> cluster.runsMatchmaker().getAsBoolean() ? 1 : 0)
            .description("1 if this node runs the cluster's matchmaker; the sum over nodes must be 1").register(registry);
        Gauge.builder(RESULTS_PENDING, () -> backlogFigure(ResultOutbox.Backlog::pending))
            .description("Finished matches' results not yet stored in both stores, cluster-wide (same on every node)")
            .register(registry);
        Gauge.builder(RESULTS_OLDEST_PENDING_SECONDS, () -> backlogFigure(b -> b.oldestAgeMillis() / 1000.0))
            .description("How long ago the oldest pending result's match finished, cluster-wide; 0 when none")
            .register(registry);
    }

    /** The outbox's figures (NaN when they cannot be read in time: a hung read must not hang the scrape). */
    private Future<Void> readBacklog() {
        return backlog.get().timeout(STORE_PING_MILLIS, TimeUnit.MILLISECONDS)
            .onComplete(read -> lastBacklog.set(read.succeeded() ? read.result() : null)).mapEmpty();
    }

    private Future<Void> ping(Supplier<Future<Void>> ping, boolean postgres) {
        return ping.get().timeout(STORE_PING_MILLIS, TimeUnit.MILLISECONDS).onComplete(done -> {
            if (postgres) {
                postgresUp = done.succeeded();
            } else {
                redisUp = done.succeeded();
            }
        });
    }

    private double backlogFigure(ToDoubleFunction<ResultOutbox.Backlog> figure) {
        ResultOutbox.Backlog read = lastBacklog.get();
        return read == null ? Double.NaN : figure.applyAsDouble(read);
    }

    /**
     * Mounts {@code GET /metrics} (Prometheus text format), and counts every response of {@code router}
     * by status class, and its problem responses by code. The scrape runs off the event loop.
     */
    public void mount(Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            ctx.addHeadersEndHandler(v -> game.httpResponse(ctx.response().getStatusCode(), ctx.get(Problems.ERROR_CODE_KEY)));
            ctx.next();
        });
        // The backlog is cluster-wide and the pings asynchronous: read them first, then scrape with them.
        router.get(PATH).handler(ctx -> Future.join(readBacklog(), ping(pings.postgres(), true), ping(pings.redis(), false))
            .transform(read -> vertx.executeBlocking(registry::scrape, false))
            .onSuccess(text -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(text))
            .onFailure(ctx::fail));
    }
}
