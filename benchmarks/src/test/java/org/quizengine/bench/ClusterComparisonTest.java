package org.quizengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's targets from made-up reports of one node and three under the same workload, and what
 * {@code --compare} runs and counts as a clean run.
 */
class ClusterComparisonTest {

    @Test
    void aClusterWithinEveryLimitPassesAndItsFiguresStandBesideOneNodes() {
        JsonObject comparison = ClusterComparison.of(report(1, 400.0, 3.0, 0), report(3, 560.0, 7.5, 0));

        assertThat(comparison.getDouble("cpuPerAnswerRatio")).isEqualTo(1.4);
        assertThat(comparison.getDouble("ackP99DeltaMs")).isEqualTo(4.5);
        assertThat(comparison.getJsonObject("serverCpuMicrosPerAnswer").getMap()).containsEntry("1", 400.0).containsEntry("3", 560.0);
        assertThat(comparison.getJsonObject("ackP99Ms").getMap()).containsEntry("1", 3.0).containsEntry("3", 7.5);
        assertThat(comparison.getJsonObject("windowsOver100Ms").getMap()).containsEntry("1", 0).containsEntry("3", 0);
        assertThat(verdicts(comparison)).hasSize(3).containsOnlyKeys(
            "server CPU per answer on 3 nodes <= 1.5x that on 1",
            "answer-ack p99 on 3 nodes <= that on 1 + 5 ms",
            "no 10 s window on 3 nodes with answer-ack p99 over 100 ms").doesNotContainValue(false);
        assertThat(comparison.getBoolean("passed")).isTrue();
    }

    @Test
    void figuresExactlyAtTheLimitsPass() {
        JsonObject comparison = ClusterComparison.of(report(1, 300.0, 2.0, 0), report(3, 450.0, 7.0, 0));

        assertThat(comparison.getDouble("cpuPerAnswerRatio")).isEqualTo(1.5);
        assertThat(comparison.getDouble("ackP99DeltaMs")).isEqualTo(5.0);
        assertThat(comparison.getBoolean("passed")).isTrue();
    }

    @Test
    void eachFigureOverItsLimitFailsItsTarget() {
        // The 1,000-player row of RESULTS.md, with one slow window on three nodes and two on one.
        JsonObject comparison = ClusterComparison.of(report(1, 347.0, 2.91, 2), report(3, 2957.0, 51.4, 1));

        assertThat(comparison.getDouble("cpuPerAnswerRatio")).isEqualTo(8.52);
        assertThat(comparison.getDouble("ackP99DeltaMs")).isEqualTo(48.49);
        assertThat(comparison.getJsonObject("windowsOver100Ms").getMap()).containsEntry("1", 2).containsEntry("3", 1);
        assertThat(verdicts(comparison)).hasSize(3).doesNotContainValue(true);
        assertThat(comparison.getBoolean("passed")).isFalse();
    }

    @Test
    void onlyTheClustersWindowsCountAgainstTheWindowTarget() {
        JsonObject comparison = ClusterComparison.of(report(1, 400.0, 3.0, 3), report(2, 400.0, 3.0, 0));

        assertThat(comparison.getBoolean("passed")).isTrue();
        assertThat(comparison.getJsonObject("windowsOver100Ms").getMap()).containsEntry("1", 3).containsEntry("2", 0);
    }

    @Test
    void aFigureARunCouldNotMeasureFailsItsTarget() {
        JsonObject comparison = ClusterComparison.of(report(1, null, null, 0), report(3, 500.0, 4.0, 0));

        assertThat(comparison.getValue("cpuPerAnswerRatio")).isNull();
        assertThat(comparison.getValue("ackP99DeltaMs")).isNull();
        assertThat(verdicts(comparison).values()).containsExactly(false, false, true);
        assertThat(comparison.getBoolean("passed")).isFalse();
    }

    @Test
    void theConsoleShowsBothRunsSideBySideAndEachTargetPassOrFail() {
        JsonObject report = new JsonObject().put("scenario", "cluster").put("command", "./bench cluster --compare")
            .put("comparison", ClusterComparison.of(report(1, 347.0, 2.91, 0), report(3, 450.0, 51.4, 0)));

        String text = ConsoleSummary.comparison(report, Path.of("/tmp/c"));

        assertThat(text).contains("=== cluster: 1 node against 3 ===", "ratio 1.3", "delta 48.49 ms",
            "  PASS  server CPU per answer on 3 nodes <= 1.5x that on 1: 1.3",
            "  FAIL  answer-ack p99 on 3 nodes <= that on 1 + 5 ms: 48.49",
            "  PASS  no 10 s window on 3 nodes with answer-ack p99 over 100 ms: 0",
            "/tmp/c/report.json", "/tmp/c/nodes-1/report.html", "/tmp/c/nodes-3/report.html");
        assertThat(text.lines().filter(line -> line.startsWith("answer-ack p99, ms"))).singleElement()
            .satisfies(line -> assertThat(line).contains("2.91").contains("51.4"));
    }

    @Test
    void compareRunsOneNodeThenTheClusterEachInItsOwnFolder() {
        BenchOptions options = BenchOptions.parse(new String[] {"cluster", "--compare", "--players", "60", "--out", "/tmp/c"});

        assertThat(options.compare()).isTrue();
        assertThat(options.nodes()).isEqualTo(3);
        BenchOptions oneNode = options.comparedRun(1);
        BenchOptions cluster = options.comparedRun(3);
        assertThat(oneNode.nodes()).isEqualTo(1);
        assertThat(oneNode.outDir()).isEqualTo(Path.of("/tmp/c/nodes-1"));
        assertThat(cluster.outDir()).isEqualTo(Path.of("/tmp/c/nodes-3"));
        assertThat(oneNode.compare()).isFalse();
        assertThat(cluster.players()).isEqualTo(60);
    }

    @Test
    void compareIsRefusedWhereItCannotRun() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"capacity", "--compare"})).hasMessageContaining("cluster scenario only");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"cluster", "--compare", "--nodes", "1"})).hasMessageContaining("2 or more");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"cluster", "--compare", "--url", "http://10.0.0.5:8080"}))
            .hasMessageContaining("--url");
    }

    @Test
    void aComparisonIsCleanOnlyWhenBothRunsAuditsFoundNothingLost() {
        JsonObject lost = report(3, 500.0, 4.0, 0).put("audit", audit(1));
        JsonObject clean = report(1, 400.0, 3.0, 0).put("audit", audit(0));

        assertThat(Bench.clean(new JsonObject().put("runs", new JsonObject().put("1", clean).put("3", clean.copy())))).isTrue();
        assertThat(Bench.clean(new JsonObject().put("runs", new JsonObject().put("1", clean).put("3", lost)))).isFalse();
    }

    private static JsonObject report(int nodes, Double cpuMicrosPerAnswer, Double ackP99Ms, int windowsOver) {
        return new JsonObject()
            .put("target", new JsonObject().put("nodes", nodes))
            .put("summary", new JsonObject().put("serverCpuMicrosPerAnswer", cpuMicrosPerAnswer).put("ackP99Ms", ackP99Ms))
            .put("ackP99Windows", new JsonObject().put("windowsOver100Ms", windowsOver));
    }

    private static JsonObject audit(int lost) {
        JsonObject audit = new JsonObject();
        Map.of("lost", lost, "duplicated", 0, "answersMissing", 0, "answersUnexpected", 0, "matchesNotOnLeaderboards", 0,
            "leaderboardMismatches", 0, "statsMismatches", 0).forEach(audit::put);
        return audit;
    }

    private static Map<String, Boolean> verdicts(JsonObject comparison) {
        return comparison.getJsonArray("targets").stream().map(JsonObject.class::cast)
            .collect(Collectors.toMap(t -> t.getString("target"), t -> t.getBoolean("passed"), (a, b) -> a, LinkedHashMap::new));
    }
}
