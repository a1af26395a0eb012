package org.quizengine.engine.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;

/**
 * The node's Prometheus metrics at {@code GET /metrics}: JVM memory, GC, threads and CPU, plus what
 * the node serves (connected players, live matches). The benchmark harness reads server CPU and heap
 * per connected player from here. Nothing on a match's hot path is instrumented; every value is read
 * when scraped.
 */
public final class NodeMetrics {
    public static final String PATH = "/metrics";
    public static final String CONNECTED_PLAYERS = "quiz_connected_players";
    public static final String LIVE_MATCHES = "quiz_live_matches";
    public static final String PROCESS_CPU_SECONDS = "quiz_process_cpu_seconds";

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public NodeMetrics(Vertx vertx, String nodeId, IntSupplier connectedPlayers, IntSupplier liveMatches) {
        this.vertx = vertx;
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
    }

    /** Mounts {@code GET /metrics} (Prometheus text format); the scrape runs off the event loop. */
    public void mount(Router router) {
        router.get(PATH).handler(ctx -> vertx.executeBlocking(registry::scrape, false)
            .onSuccess(text -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(text))
            .onFailure(ctx::fail));
    }
}
