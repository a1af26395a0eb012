package org.quizengine.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Issue 10's targets, from the reports of the same workload on one node and on several
 * ({@code ./bench cluster --compare}): the nodes together spend at most 1.5x the server CPU per answer
 * one node spends, answer-ack p99 is at most 5 ms over one node's, and the cluster has no 10 s window
 * of the measured part with p99 over 100 ms. Pure: everything comes from the two reports' summaries
 * and {@code ackP99Windows}. A figure a run could not measure (no answers) fails its target. The all-in
 * CPU per answer (PostgreSQL and Redis too) stands beside the nodes' for the reader; no target is on it.
 */
final class ClusterComparison {
    static final double CPU_PER_ANSWER_RATIO_LIMIT = 1.5;
    static final int ACK_P99_DELTA_LIMIT_MILLIS = 5;
    static final int WINDOWS_OVER_LIMIT = 0;

    private ClusterComparison() {
    }

    /** The report's {@code comparison}: both runs' figures side by side, the ratio, the delta and the targets. */
    static JsonObject of(JsonObject oneNode, JsonObject cluster) {
        // Keyed by node count, as the top-level report's runs are.
        String one = nodes(oneNode);
        String many = nodes(cluster);
        Double cpuOne = summary(oneNode, "serverCpuMicrosPerAnswer");
        Double cpuMany = summary(cluster, "serverCpuMicrosPerAnswer");
        Double p99One = summary(oneNode, "ackP99Ms");
        Double p99Many = summary(cluster, "ackP99Ms");
        Double ratio = cpuOne == null || cpuMany == null || cpuOne == 0 ? null : round(cpuMany / cpuOne);
        Double delta = p99One == null || p99Many == null ? null : round(p99Many - p99One);
        Integer windowsOver = windowsOver(cluster);
        JsonArray targets = new JsonArray()
            .add(target("server CPU per answer on " + many + " nodes <= " + CPU_PER_ANSWER_RATIO_LIMIT + "x that on " + one,
                CPU_PER_ANSWER_RATIO_LIMIT, ratio, ratio != null && ratio <= CPU_PER_ANSWER_RATIO_LIMIT))
            .add(target("answer-ack p99 on " + many + " nodes <= that on " + one + " + " + ACK_P99_DELTA_LIMIT_MILLIS + " ms",
                ACK_P99_DELTA_LIMIT_MILLIS, delta, delta != null && delta <= ACK_P99_DELTA_LIMIT_MILLIS))
            .add(target("no " + LatencyWindows.WINDOW_SECONDS + " s window on " + many + " nodes with answer-ack p99 over "
                    + LatencyWindows.LIMIT_MILLIS + " ms",
                WINDOWS_OVER_LIMIT, windowsOver, windowsOver != null && windowsOver <= WINDOWS_OVER_LIMIT));
        return new JsonObject()
            .put("nodes", new JsonArray().add(one).add(many))
            .put("serverCpuMicrosPerAnswer", new JsonObject().put(one, cpuOne).put(many, cpuMany))
            .put("allInCpuMicrosPerAnswer", new JsonObject().put(one, summary(oneNode, "allInCpuMicrosPerAnswer"))
                .put(many, summary(cluster, "allInCpuMicrosPerAnswer")))
            .put("cpuPerAnswerRatio", ratio)
            .put("ackP99Ms", new JsonObject().put(one, p99One).put(many, p99Many))
            .put("ackP99DeltaMs", delta)
            .put("windowsOver100Ms", new JsonObject().put(one, windowsOver(oneNode)).put(many, windowsOver))
            .put("targets", targets)
            .put("passed", targets.stream().map(JsonObject.class::cast).allMatch(t -> t.getBoolean("passed")));
    }

    private static JsonObject target(String name, Number limit, Number measured, boolean passed) {
        return new JsonObject().put("target", name).put("limit", limit).put("measured", measured).put("passed", passed);
    }

    private static String nodes(JsonObject report) {
        return Integer.toString(report.getJsonObject("target").getInteger("nodes"));
    }

    private static Double summary(JsonObject report, String figure) {
        return report.getJsonObject("summary", new JsonObject()).getDouble(figure);
    }

    private static Integer windowsOver(JsonObject report) {
        return report.getJsonObject("ackP99Windows", new JsonObject()).getInteger("windowsOver100Ms");
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
