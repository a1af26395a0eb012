package org.quizengine.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.quizengine.bench.report.ReportPage;
import org.quizengine.bench.servers.ChaosNodes;
import org.quizengine.bench.servers.LocalEcho;
import org.quizengine.bench.servers.LocalNodes;
import org.quizengine.bench.servers.RemoteNodes;
import org.quizengine.bench.servers.Target;

/**
 * The benchmark harness: {@code ./bench <scenario> [--option value ...]} from {@code benchmarks/}.
 * It starts what it plays against (one node, a local cluster or the echo server) unless given
 * {@code --url}, plays real matches with simulated players, and writes {@code report.json} and
 * {@code report.html} to the run's folder. Exit status 0 when the run completed and the audit found
 * nothing lost or duplicated, 1 when it did, 2 for bad options.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("usage: ./bench {" + Scenario.names() + "} [--fast] [--option value ...]; see benchmarks/README.md");
            System.exit(2);
            return;
        }
        JsonObject report = run(options);
        System.exit(clean(report) ? 0 : 1);
    }

    /**
     * Runs one scenario to the end and writes its report; the report is also returned. With
     * {@code --compare}, runs it on one node and then on {@code --nodes} nodes and compares the two; with
     * {@code --fresh-node}, runs each step of the ramp on fresh nodes.
     */
    public static JsonObject run(BenchOptions options) {
        if (options.compare()) {
            return compare(options);
        }
        return options.freshNode() ? freshNodes(options) : runOnce(options);
    }

    private static JsonObject runOnce(BenchOptions options) {
        System.out.println("bench " + options.scenario().id() + ": starting the target");
        try (Target target = startTarget(options)) {
            System.out.println("target: " + target.describe());
            JsonObject report = new Run(options, target).execute()
                .put("scenario", options.scenario().id())
                .put("command", "./bench " + String.join(" ", options.command()))
                .put("target", new JsonObject().put("description", target.describe())
                    .put("urls", target.urls()).put("nodes", target.urls().size()))
                .put("workload", new JsonObject(options.workload()));
            write(report, options.outDir());
            ConsoleSummary.print(report, options.outDir());
            return report;
        }
    }

    /**
     * The same workload on one fresh node, then on {@code --nodes} fresh nodes (each with its own stores
     * and workers, and its own report in {@code nodes-<count>/}); the top-level report holds both runs
     * and their {@link ClusterComparison comparison}. The targets are reported, not part of the exit status.
     */
    private static JsonObject compare(BenchOptions options) {
        JsonObject oneNode = runOnce(options.comparedRun(1));
        JsonObject cluster = runOnce(options.comparedRun(options.nodes()));
        JsonObject report = new JsonObject()
            .put("scenario", options.scenario().id())
            .put("command", "./bench " + String.join(" ", options.command()))
            .put("workload", new JsonObject(options.workload()))
            .put("comparison", ClusterComparison.of(oneNode, cluster))
            .put("runs", new JsonObject().put("1", oneNode).put(Integer.toString(options.nodes()), cluster));
        createDirectories(options.outDir());
        writeJson(report, options.outDir());
        ConsoleSummary.printComparison(report, options.outDir());
        return report;
    }

    /**
     * The ramp with each step on fresh nodes, stores and workers: per level a run of that one step, with
     * its own report in {@code players-<level>/}, up to the first step that fails. The top-level report
     * holds the steps and the ramp's summary as a warm ramp's does, the latency and errors of the
     * sustained step (or the failed one when none passed), and every run under {@code runs} by level.
     */
    private static JsonObject freshNodes(BenchOptions options) {
        List<JsonObject> steps = new ArrayList<>();
        JsonObject runs = new JsonObject();
        for (int level : options.rampLevels()) {
            JsonObject run = runOnce(options.freshNodeStep(level));
            JsonObject step = run.getJsonArray("steps").getJsonObject(0);
            runs.put(Integer.toString(level), run);
            steps.add(step);
            if (!step.getBoolean("passed")) {
                break;
            }
        }
        JsonObject report = new JsonObject()
            .put("scenario", options.scenario().id())
            .put("command", "./bench " + String.join(" ", options.command()))
            .put("workload", new JsonObject(options.workload()))
            .put("summary", RampSteps.summary(steps, options.limitMillis()))
            .put("steps", new JsonArray(steps));
        RampSteps.shown(steps).map(step -> runs.getJsonObject(step.getInteger("players").toString())).ifPresent(shown ->
            report.put("latency", shown.getJsonObject("latency")).put("errors", shown.getJsonObject("errors")));
        report.put("runs", runs);
        createDirectories(options.outDir());
        writeJson(report, options.outDir());
        ConsoleSummary.printFreshNodes(report, options.outDir());
        return report;
    }

    private static Target startTarget(BenchOptions options) {
        createDirectories(options.outDir());
        if (options.scenario() == Scenario.ECHO) {
            return LocalEcho.start(options.nodeJvmOptions(), options.outDir().resolve("echo.log"));
        }
        if (options.scenario() == Scenario.CHAOS) {
            if (!options.urls().isEmpty()) {
                throw new IllegalArgumentException("the chaos scenario faults nodes and stores it starts itself; --url is not for it");
            }
            return ChaosNodes.start(options.nodes(), options.nodeSettings(), options.nodeJvmOptions());
        }
        if (!options.urls().isEmpty()) {
            Optional<Target.StoreUris> stores = options.postgresUri().isBlank() || options.redisUri().isBlank()
                ? Optional.empty() : Optional.of(new Target.StoreUris(options.postgresUri(), options.redisUri()));
            return new RemoteNodes(options.urls(), stores);
        }
        return LocalNodes.start(options.nodes(), options.nodeSettings(), options.nodeJvmOptions());
    }

    /**
     * Whether the audit (when it ran) found every result stored once and the boards right, and a chaos run
     * met its targets; for a comparison, whether that holds for both its runs.
     */
    static boolean clean(JsonObject report) {
        if (report.containsKey("runs")) {
            return report.getJsonObject("runs").stream().allMatch(run -> clean((JsonObject) run.getValue()));
        }
        JsonObject audit = report.getJsonObject("audit", new JsonObject());
        if (!report.getJsonObject("chaos", new JsonObject().put("passed", true)).getBoolean("passed", false)) {
            return false;
        }
        if (audit.containsKey("skipped")) {
            return true;
        }
        // A node killed mid-run may have stored an answer whose acknowledgement died with it: stored
        // answers no player saw acknowledged are expected there, and reported, but not a failure.
        boolean killed = report.containsKey("failover") || report.containsKey("chaos");
        return !audit.containsKey("failed") && java.util.stream.Stream.of("lost", "duplicated", "answersMissing",
                "answersUnexpected", "matchesNotOnLeaderboards", "leaderboardMismatches", "statsMismatches")
            .filter(problem -> !(killed && problem.equals("answersUnexpected")))
            .allMatch(problem -> audit.getInteger(problem, 1) == 0);
    }

    private static void write(JsonObject report, Path dir) {
        writeJson(report, dir);
        ReportPage.write(report, dir.resolve("report.html"));
    }

    private static void writeJson(JsonObject report, Path dir) {
        try {
            Files.writeString(dir.resolve("report.json"), report.encodePrettily());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir, e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
