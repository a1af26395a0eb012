package org.quizengine.bench;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.quizengine.bench.servers.ServerSampler;

/** Figures over a run of seconds: the measured part of a steady run, or one step of a ramp. */
final class Window {
    private final List<Second> seconds;
    private final Histogram ack = new Histogram(Second.HIGHEST_MICROS, 3);
    private final Histogram lateness = new Histogram(Second.HIGHEST_MICROS, 3);

    Window(List<Second> seconds) {
        this.seconds = List.copyOf(seconds);
        this.seconds.forEach(s -> {
            ack.add(s.ack);
            lateness.add(s.lateness);
        });
    }

    boolean isEmpty() {
        return seconds.isEmpty();
    }

    double lengthSeconds() {
        return seconds.size();
    }

    long answers() {
        return seconds.stream().mapToLong(s -> s.answersAcked).sum();
    }

    double answersPerSecond() {
        return seconds.isEmpty() ? 0 : answers() / lengthSeconds();
    }

    Double ackP99Millis() {
        return Second.millis(ack, 99);
    }

    int minConnected() {
        return seconds.stream().mapToInt(s -> s.connected).min().orElse(0);
    }

    int maxConnected() {
        return seconds.stream().mapToInt(s -> s.connected).max().orElse(0);
    }

    Map<String, Integer> errors() {
        Map<String, Integer> errors = new TreeMap<>();
        seconds.forEach(s -> s.errors.forEach((code, n) -> errors.merge(code, n, Integer::sum)));
        return errors;
    }

    int errorCount() {
        return errors().values().stream().mapToInt(Integer::intValue).sum();
    }

    int sum(java.util.function.ToIntFunction<Second> field) {
        return seconds.stream().mapToInt(field).sum();
    }

    double serverCpuSeconds() {
        return seconds.stream().mapToDouble(s -> s.serverCpuSeconds).sum();
    }

    double generatorCpuSeconds() {
        return seconds.stream().mapToDouble(s -> s.generatorCpuSeconds).sum();
    }

    /** Nodes, PostgreSQL and Redis by {@code /proc}; null when no second of the window could read them. */
    Double allInCpuSeconds() {
        return processCpuSeconds(ServerSampler.ProcessesCpu::allInSeconds);
    }

    Double postgresCpuSeconds() {
        return processCpuSeconds(ServerSampler.ProcessesCpu::postgresSeconds);
    }

    Double redisCpuSeconds() {
        return processCpuSeconds(ServerSampler.ProcessesCpu::redisSeconds);
    }

    /** A share of the window's length as a percentage of one core; null stays null. */
    Double cpuPercent(Double cpuSeconds) {
        return cpuSeconds == null || isEmpty() ? null : round(cpuSeconds * 100 / lengthSeconds());
    }

    /** CPU time per acknowledged answer, in microseconds; null stays null. */
    Double microsPerAnswer(Double cpuSeconds) {
        return cpuSeconds == null || answers() == 0 ? null : round(cpuSeconds * 1e6 / answers());
    }

    private Double processCpuSeconds(Function<ServerSampler.ProcessesCpu, Double> part) {
        List<Double> read = seconds.stream().map(s -> s.processCpu).filter(Objects::nonNull).map(part)
            .filter(Objects::nonNull).toList();
        return read.isEmpty() ? null : read.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The lowest heap reading: the nearest a sampled heap comes to what is live. */
    Double minHeapBytes() {
        return seconds.stream().map(s -> s.serverHeapBytes).filter(Objects::nonNull)
            .min(Double::compare).orElse(null);
    }

    JsonObject latency() {
        return new JsonObject().put("ackMs", percentiles(ack)).put("latenessMs", percentiles(lateness));
    }

    static JsonObject percentiles(Histogram histogram) {
        return new JsonObject()
            .put("p50", Second.millis(histogram, 50)).put("p95", Second.millis(histogram, 95))
            .put("p99", Second.millis(histogram, 99))
            .put("max", histogram.getTotalCount() == 0 ? null : Math.round(histogram.getMaxValue() / 10.0) / 100.0)
            .put("count", histogram.getTotalCount());
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
