package org.quizengine.bench;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.quizengine.bench.servers.ServerSampler;

/** One second of a run: what the players felt (summed over workers) and what the servers used. */
final class Second {
    static final long HIGHEST_MICROS = 60_000_000L;

    final double t;
    final Histogram ack = new Histogram(HIGHEST_MICROS, 3);
    final Histogram lateness = new Histogram(HIGHEST_MICROS, 3);
    final Map<String, Integer> errors = new HashMap<>();
    int connected;
    int inMatch;
    int wanted;
    int answersSent;
    int answersAcked;
    int questions;
    int reconnects;
    int drops;
    int connectFailures;
    int signInFailures;
    double generatorCpuSeconds;
    double serverCpuSeconds;
    /** Nodes, PostgreSQL and Redis by {@code /proc}; null when their processes cannot be read from here. */
    ServerSampler.ProcessesCpu processCpu;
    Double serverHeapBytes;
    Integer liveMatches;
    Integer serverConnected;

    Second(double t) {
        this.t = t;
    }

    /**
     * Adds one worker's tick (its histograms arrive encoded): its counts of what happened since its
     * previous tick. Workers tick on their own clocks, so a second may hold two ticks of one worker
     * or none; the gauges are set apart, from each worker's latest tick ({@link #addGauges}).
     */
    void add(JsonObject tick, Histogram tickAck, Histogram tickLateness) {
        answersSent += tick.getInteger("answersSent");
        answersAcked += tick.getInteger("answersAcked");
        questions += tick.getInteger("questions");
        reconnects += tick.getInteger("reconnects");
        drops += tick.getInteger("drops");
        connectFailures += tick.getInteger("connectFailures");
        signInFailures += tick.getInteger("signInFailures");
        tick.getJsonObject("errors").forEach(e -> errors.merge(e.getKey(), ((Number) e.getValue()).intValue(), Integer::sum));
        ack.add(tickAck);
        lateness.add(tickLateness);
    }

    /** Adds one worker's gauges (players connected, in a match, wanted) as of its latest tick. */
    void addGauges(JsonObject latestTick) {
        connected += latestTick.getInteger("connected");
        inMatch += latestTick.getInteger("inMatch");
        wanted += latestTick.getInteger("wanted");
    }

    int errorCount() {
        return errors.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The row of the report's timeline. */
    JsonObject toJson() {
        return new JsonObject()
            .put("t", Math.round(t * 10) / 10.0)
            .put("players", connected).put("inMatch", inMatch).put("wanted", wanted)
            .put("liveMatches", liveMatches)
            .put("answersPerSec", answersAcked)
            .put("ackP50Ms", millis(ack, 50)).put("ackP99Ms", millis(ack, 99))
            .put("lateP99Ms", millis(lateness, 99))
            .put("serverCpuPct", percent(serverCpuSeconds))
            .put("allInCpuPct", processCpu == null ? null : percent(processCpu.allInSeconds()))
            .put("postgresCpuPct", processCpu == null ? null : percent(processCpu.postgresSeconds()))
            .put("redisCpuPct", processCpu == null ? null : percent(processCpu.redisSeconds()))
            .put("generatorCpuPct", percent(generatorCpuSeconds))
            .put("serverHeapMb", serverHeapBytes == null ? null : Math.round(serverHeapBytes / 1024 / 1024 * 10) / 10.0)
            .put("errors", errorCount()).put("reconnects", reconnects).put("drops", drops);
    }

    /** CPU seconds in one second as a percentage of one core; null stays null. */
    private static Double percent(Double cpuSeconds) {
        return cpuSeconds == null ? null : Math.round(cpuSeconds * 1000) / 10.0;
    }

    static Double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? null : Math.round(histogram.getValueAtPercentile(percentile) / 10.0) / 100.0;
    }
}
