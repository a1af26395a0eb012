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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.quizengine.engine.persistence.ResultOutbox;

/**
 * The node's Prometheus metrics at {@code GET /metrics}: JVM memory, GC, threads and CPU, plus what
 * the node serves (connected players, live matches), what it believes of the cluster (members it
 * sees, whether it runs the matchmaker: a split brain shows as nodes that disagree), and the
 * cluster's results outbox. The benchmark harness reads server CPU and heap per connected player
 * from here. Nothing on a match's hot path is instrumented; every value is read when scraped.
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

    /** What the node knows of the cluster, read at each scrape. */
    public record ClusterFigures(IntSupplier members, BooleanSupplier runsMatchmaker,
                                 Supplier<Future<ResultOutbox.Backlog>> backlog) {
    }

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<Future<ResultOutbox.Backlog>> backlog;
    /** The backlog read just before the current scrape; {@code null} when it could not be read (NaN then). */
    private final AtomicReference<ResultOutbox.Backlog> lastBacklog = new AtomicReference<>();

    public NodeMetrics(Vertx vertx, String nodeId, IntSupplier connectedPlayers, IntSupplier liveMatches,
                       ClusterFigures cluster) {
        this.vertx = vertx;
        this.backlog = cluster.backlog();
        registry.config().commonTags("node", nodeId);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder(CONNECTED_PLAYERS, connectedPlayers::getAsInt)
            .description("WebSockets open on this node").register(registry);
        Gauge.builder(LIVE_MATCHES, liveMatches::getAsInt)
            .description("Matches running on this node").register(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            // Total CPU time of the process, so a scraper can divide it by work done in the same interval.
            FunctionCounter.builder(PROCESS_CPU_SECONDS, os, bean -> bean.getProcessCpuTime() / 1e9)
                .description("CPU time used by this node's process, all threads").register(registry);
        }
        registerCluster(cluster);
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

    private double backlogFigure(ToDoubleFunction<ResultOutbox.Backlog> figure) {
        ResultOutbox.Backlog read = lastBacklog.get();
        return read == null ? Double.NaN : figure.applyAsDouble(read);
    }

    /** Mounts {@code GET /metrics} (Prometheus text format); the scrape runs off the event loop. */
    public void mount(Router router) {
        // The backlog is cluster-wide and asynchronous: read it first, then scrape with it.
        router.get(PATH).handler(ctx -> backlog.get()
            .onComplete(read -> lastBacklog.set(read.succeeded() ? read.result() : null))
            .transform(read -> vertx.executeBlocking(registry::scrape, false))
            .onSuccess(text -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(text))
            .onFailure(ctx::fail));
    }
}
