package org.quizengine.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/** The end-of-run summary on the console: the figures a reader compares, and where the rest is. */
final class ConsoleSummary {
    private ConsoleSummary() {
    }

    static void print(JsonObject report, Path dir) {
        StringBuilder out = new StringBuilder("\n=== ").append(report.getString("scenario")).append(" ===\n");
        out.append("command: ").append(report.getString("command")).append('\n');
        out.append("target:  ").append(report.getJsonObject("target").getString("description")).append('\n');
        section(out, "summary", report.getJsonObject("summary"));
        JsonObject latency = report.getJsonObject("latency", new JsonObject());
        latency.fieldNames().forEach(name -> section(out, "latency " + name, latency.getJsonObject(name)));
        if (report.containsKey("ackP99Windows")) {
            section(out, "answer-ack p99 per 10 s window", report.getJsonObject("ackP99Windows"));
        }
        section(out, "errors by code", report.getJsonObject("errors", new JsonObject()));
        if (report.containsKey("steps")) {
            steps(out, report.getJsonArray("steps"));
        }
        if (report.containsKey("failover")) {
            section(out, "failover", report.getJsonObject("failover"));
        }
        JsonObject audit = report.getJsonObject("audit", new JsonObject()).copy();
        audit.remove("lostMatchIds");
        audit.remove("duplicatedMatchIds");
        section(out, "audit", audit);
        if (report.containsKey("chaos")) {
            chaos(out, report.getJsonObject("chaos"));
        }
        out.append("matches finished: ").append(report.getValue("matchesFinished")).append('\n');
        framesReceived(out, report.getJsonObject("framesReceived"));
        out.append("report: ").append(dir.resolve("report.json")).append(" and ").append(dir.resolve("report.html")).append('\n');
        System.out.print(out);
    }

    /** Bytes per frame type, and per player per question. */
    private static void framesReceived(StringBuilder out, JsonObject frames) {
        if (frames == null || frames.getLong("frames", 0L) == 0) {
            return;
        }
        out.append("frames received: ").append(frames.getLong("frames")).append(", ").append(frames.getLong("bytes"))
            .append(" bytes");
        if (frames.containsKey("bytesPerPlayerPerQuestion")) {
            out.append(", ").append(frames.getLong("bytesPerPlayerPerQuestion")).append(" bytes per player per question");
        }
        out.append('\n');
        frames.getJsonObject("byType").forEach(e -> {
            JsonObject type = (JsonObject) e.getValue();
            out.append(String.format("  %-16s %9d frames  %6d bytes each%n", e.getKey(), type.getLong("frames"),
                type.getLong("bytesPerFrame")));
        });
    }

    /** One line per step, the CPU per answer from the nodes' metric and all-in (nodes, PostgreSQL, Redis) side by side. */
    private static void steps(StringBuilder out, JsonArray steps) {
        steps.stream().map(JsonObject.class::cast).forEach(step -> out.append(String.format(
            "  step %6d players: %s  answers/s %s  ack p99 %s ms  errors %s  srv cpu %s%% (all-in %s%%)  "
                + "cpu/answer srv %s µs all-in %s µs  gen cpu %s%%  heap/player %s KB%n",
            step.getInteger("players"), step.getBoolean("passed") ? "pass" : "FAIL", step.getValue("answersPerSec"),
            step.getValue("ackP99Ms"), step.getValue("errors"), step.getValue("serverCpuPct"), step.getValue("allInCpuPct"),
            step.getValue("serverCpuMicrosPerAnswer"), step.getValue("allInCpuMicrosPerAnswer"),
            step.getValue("generatorCpuPct"), step.getValue("heapPerPlayerKb"))));
    }

    /** A ramp on fresh nodes: its summary, each step, and where each step's own report is. */
    static void printFreshNodes(JsonObject report, Path dir) {
        System.out.print(freshNodes(report, dir));
    }

    static String freshNodes(JsonObject report, Path dir) {
        StringBuilder out = new StringBuilder("\n=== ").append(report.getString("scenario")).append(": fresh nodes per step ===\n");
        out.append("command: ").append(report.getString("command")).append('\n');
        section(out, "summary", report.getJsonObject("summary"));
        steps(out, report.getJsonArray("steps"));
        out.append("report: ").append(dir.resolve("report.json"));
        report.getJsonObject("runs").fieldNames().forEach(level ->
            out.append(" and ").append(dir.resolve("players-" + level).resolve("report.html")));
        return out.append('\n').toString();
    }

    static void printComparison(JsonObject report, Path dir) {
        System.out.print(comparison(report, dir));
    }

    /** A comparison's figures side by side, each target PASS or FAIL, and where both runs' reports are. */
    static String comparison(JsonObject report, Path dir) {
        JsonObject comparison = report.getJsonObject("comparison");
        List<String> nodes = comparison.getJsonArray("nodes").stream().map(String.class::cast).toList();
        StringBuilder out = new StringBuilder("\n=== ").append(report.getString("scenario"))
            .append(": ").append(nodes.get(0)).append(" node against ").append(nodes.get(1)).append(" ===\n");
        out.append("command: ").append(report.getString("command")).append('\n');
        out.append(String.format("%-32s %12s %12s%n", "", nodes.get(0) + " node", nodes.get(1) + " nodes"));
        sideBySide(out, "server CPU per answer, µs", comparison.getJsonObject("serverCpuMicrosPerAnswer"), nodes,
            "ratio " + comparison.getValue("cpuPerAnswerRatio"));
        sideBySide(out, "all-in CPU per answer, µs", comparison.getJsonObject("allInCpuMicrosPerAnswer"), nodes,
            "with PostgreSQL and Redis");
        sideBySide(out, "answer-ack p99, ms", comparison.getJsonObject("ackP99Ms"), nodes,
            "delta " + comparison.getValue("ackP99DeltaMs") + " ms");
        sideBySide(out, "10 s windows with p99 > 100 ms", comparison.getJsonObject("windowsOver100Ms"), nodes, "");
        for (Object t : comparison.getJsonArray("targets")) {
            JsonObject target = (JsonObject) t;
            out.append(String.format("  %s  %s: %s%n", target.getBoolean("passed") ? "PASS" : "FAIL",
                target.getString("target"), target.getValue("measured")));
        }
        out.append("targets are reported, not part of the exit status\n");
        out.append("report: ").append(dir.resolve("report.json"));
        nodes.forEach(n -> out.append(" and ").append(dir.resolve("nodes-" + n).resolve("report.html")));
        return out.append('\n').toString();
    }

    private static void sideBySide(StringBuilder out, String figure, JsonObject byNodes, List<String> nodes, String note) {
        out.append(String.format("%-32s %12s %12s  %s", figure, byNodes.getValue(nodes.get(0)), byNodes.getValue(nodes.get(1)), note)
            .stripTrailing()).append('\n');
    }

    /** Per fault: what players felt and what the stores did, then each target PASS or FAIL. */
    private static void chaos(StringBuilder out, JsonObject chaos) {
        for (Object item : chaos.getJsonArray("faults")) {
            JsonObject fault = (JsonObject) item;
            out.append(String.format("fault %s (%s): touched %s players; time to play again ms %s; lost %s "
                    + "(told no_match while it lived %s, never back %s; told no_match after it ended %s); errors %s; matches finished %s, results lost %s, duplicated %s%n",
                fault.getString("fault"), fault.getString("label"), fault.getValue("playersTouched"),
                fault.getJsonObject("timeToPlayAgainMs").encode(), fault.getValue("playersLost"),
                fault.getValue("playersToldNoMatchWhileTheirMatchLived"), fault.getValue("playersNeverBack"),
                fault.getValue("playersToldNoMatchAfterTheirMatchEnded"), fault.getJsonObject("errors").encode(),
                fault.getValue("matchesFinished"), fault.getValue("resultsLost"), fault.getValue("resultsDuplicated")));
            JsonArray slow = fault.getJsonArray("slowRecoveries", new JsonArray());
            if (!slow.isEmpty()) {
                JsonObject slowest = slow.getJsonObject(0);
                out.append(String.format("  slowest recoveries ms (-1: never): %s; the slowest, %s: %s%n",
                    slow.stream().map(o -> ((JsonObject) o).getValue("millis").toString()).toList(), slowest.getString("player"),
                    String.join(" | ", slowest.getJsonArray("trace").stream().map(Object::toString).toList())));
            }
            if (fault.containsKey("lateResults")) {
                JsonObject late = fault.getJsonObject("lateResults");
                out.append(String.format("  results of matches finished in the outage: %s, within 5 s of recovery %s, late %s, not stored %s; delay after recovery ms %s%n",
                    late.getValue("results"), late.getValue("storedWithinLimit"), late.getValue("late"), late.getValue("notStored"),
                    late.getJsonObject("delayAfterRecoveryMs").encode()));
            }
            for (Object t : fault.getJsonArray("targets")) {
                JsonObject target = (JsonObject) t;
                out.append(String.format("  %s  %s: %s%n", target.getBoolean("passed") ? "PASS" : "FAIL",
                    target.getString("target"), target.getValue("measured")));
            }
        }
        out.append("targets over all faults:\n");
        for (Object t : chaos.getJsonArray("targets")) {
            JsonObject target = (JsonObject) t;
            out.append(String.format("  %s  %s%s%n", target.getBoolean("passed") ? "PASS" : "FAIL", target.getString("target"),
                target.getBoolean("passed") ? "" : " (missed in " + String.join(", ", target.getJsonArray("failedIn").stream().map(String.class::cast).toList()) + ")"));
        }
    }

    private static void section(StringBuilder out, String title, JsonObject values) {
        out.append(title).append(":");
        if (values == null || values.isEmpty()) {
            out.append(" none\n");
            return;
        }
        out.append('\n');
        values.forEach(e -> out.append("  ").append(e.getKey()).append(" = ").append(e.getValue()).append('\n'));
    }
}
