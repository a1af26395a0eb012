package org.quizengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When a ramp step passes and what the ramp's report says, for the warm ramp and {@code --fresh-node}
 * alike, and how {@code --fresh-node} cuts the ramp into one run per step; from made-up steps, no
 * nodes started.
 */
class RampStepsTest {
    private static final double LIMIT = 50;

    @Test
    void aStepPassesOnlyWarmWithinTheLimitWithoutErrorsAndWithNearlyEveryPlayerConnected() {
        assertThat(RampSteps.passed(step(2000, true, 50.0, 0, 1960), LIMIT)).as("p99 at the limit, 98 % connected").isTrue();
        assertThat(RampSteps.passed(step(2000, true, 50.1, 0, 2000), LIMIT)).as("p99 over the limit").isFalse();
        assertThat(RampSteps.passed(step(2000, true, null, 0, 2000), LIMIT)).as("no answer acknowledged").isFalse();
        assertThat(RampSteps.passed(step(2000, true, 10.0, 1, 2000), LIMIT)).as("one error").isFalse();
        assertThat(RampSteps.passed(step(2000, false, 10.0, 0, 2000), LIMIT)).as("not warmed up").isFalse();
        assertThat(RampSteps.passed(step(2000, true, 10.0, 0, 1959), LIMIT)).as("fewer than 98 % connected").isFalse();
    }

    @Test
    void aFailedStepSaysWhy() {
        assertThat(RampSteps.whyFailed(step(2000, false, 80.0, 3, 1500)))
            .isEqualTo("players did not all connect, p99 ack 80.0 ms, connected players fell to 1500, 3 errors");
    }

    @Test
    void theSummaryIsTheLastStepPassedBeforeTheFirstFailure() {
        List<JsonObject> steps = List.of(judged(step(2000, true, 5.0, 0, 2000)), judged(step(4000, true, 20.0, 0, 4000)),
            judged(step(6000, true, 90.0, 0, 6000)));

        JsonObject summary = RampSteps.summary(steps, LIMIT);

        assertThat(summary.getInteger("playersSustained")).isEqualTo(4000);
        assertThat(summary.getDouble("limitP99Ms")).isEqualTo(LIMIT);
        assertThat(summary.getDouble("ackP99Ms")).as("the sustained step's figures").isEqualTo(20.0);
        assertThat(summary.getDouble("allInCpuMicrosPerAnswer")).isEqualTo(4000.0);
        assertThat(summary.containsKey("players")).isFalse();
        assertThat(RampSteps.shown(steps)).contains(steps.get(1));
    }

    @Test
    void whenTheFirstStepFailsNothingIsSustainedAndTheFailedStepIsShown() {
        List<JsonObject> steps = List.of(judged(step(2000, true, 70.0, 0, 2000)));

        assertThat(RampSteps.summary(steps, LIMIT).getInteger("playersSustained")).isZero();
        assertThat(RampSteps.summary(steps, LIMIT).containsKey("ackP99Ms")).isFalse();
        assertThat(RampSteps.shown(steps)).contains(steps.get(0));
        assertThat(RampSteps.shown(List.of())).isEmpty();
    }

    @Test
    void theRampStepsFromStartByStepWithALastStepAtMax() {
        BenchOptions options = BenchOptions.parse(new String[] {"capacity", "--start", "2000", "--step", "3000", "--max", "9500"});

        assertThat(options.rampLevels()).containsExactly(2000, 5000, 8000, 9500);
        assertThat(BenchOptions.parse(new String[] {"capacity", "--start", "2000", "--step", "2000", "--max", "6000"}).rampLevels())
            .containsExactly(2000, 4000, 6000);
    }

    @Test
    void freshNodeRunsEachLevelAsARampOfThatOneStepInItsOwnFolder() {
        BenchOptions options = BenchOptions.parse(new String[] {"capacity", "--fresh-node", "--start", "2000", "--step", "2000",
            "--max", "6000", "--step-seconds", "30", "--out", "/tmp/f"});

        assertThat(options.freshNode()).isTrue();
        assertThat(options.workload()).containsEntry("freshNodePerStep", true);
        BenchOptions step = options.freshNodeStep(4000);
        assertThat(step.freshNode()).as("a step is one run, not another fresh-node ramp").isFalse();
        assertThat(step.rampLevels()).containsExactly(4000);
        assertThat(step.peakPlayers()).as("workers sized for the step").isEqualTo(4000);
        assertThat(step.stepSeconds()).isEqualTo(30);
        assertThat(step.nodes()).isEqualTo(1);
        assertThat(step.outDir()).isEqualTo(Path.of("/tmp/f/players-4000"));
        assertThat(step.scenario().ramps()).as("so it warms up and settles as a ramp step does").isTrue();
    }

    @Test
    void freshNodeIsRefusedWhereItCannotRun() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"cluster", "--fresh-node"})).hasMessageContaining("ramping scenarios");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"capacity", "--fresh-node", "--url", "http://10.0.0.5:8080"}))
            .hasMessageContaining("--url");
        assertThat(BenchOptions.parse(new String[] {"echo", "--fresh-node"}).freshNode()).isTrue();
    }

    @Test
    void theConsoleListsEveryFreshStepAndWhereItsReportIs() {
        JsonArray steps = new JsonArray().add(judged(step(2000, true, 5.0, 0, 2000))).add(judged(step(4000, true, 70.0, 0, 4000)));
        JsonObject report = new JsonObject().put("scenario", "capacity").put("command", "./bench capacity --fresh-node")
            .put("summary", RampSteps.summary(steps.stream().map(JsonObject.class::cast).toList(), LIMIT))
            .put("steps", steps)
            .put("runs", new JsonObject().put("2000", new JsonObject()).put("4000", new JsonObject()));

        String text = ConsoleSummary.freshNodes(report, Path.of("/tmp/f"));

        assertThat(text).contains("=== capacity: fresh nodes per step ===", "playersSustained = 2000",
            "/tmp/f/report.json", "/tmp/f/players-2000/report.html", "/tmp/f/players-4000/report.html");
        assertThat(text.lines().filter(line -> line.startsWith("  step"))).hasSize(2)
            .anySatisfy(line -> assertThat(line).contains("4000 players: FAIL", "cpu/answer srv 2000.0 µs all-in 4000.0 µs"));
    }

    /** A step as {@link Run} summarizes it; its CPU per answer is 2000 µs by the metric and twice that all-in. */
    private static JsonObject step(int players, boolean warmedUp, Double ackP99Ms, int errors, int playersMin) {
        return new JsonObject().put("playersMin", playersMin).put("ackP99Ms", ackP99Ms).put("errors", errors)
            .put("serverCpuMicrosPerAnswer", 2000.0).put("allInCpuMicrosPerAnswer", 4000.0)
            .put("players", players).put("warmedUp", warmedUp);
    }

    private static JsonObject judged(JsonObject step) {
        return step.put("passed", RampSteps.passed(step, LIMIT));
    }
}
