package org.quizengine.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

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
        section(out, "errors by code", report.getJsonObject("errors", new JsonObject()));
        if (report.containsKey("steps")) {
            report.getJsonArray("steps").stream().map(JsonObject.class::cast).forEach(step -> out.append(String.format(
                "  step %6d players: %s  answers/s %s  ack p99 %s ms  errors %s  srv cpu %s%%  gen cpu %s%%  heap/player %s KB%n",
                step.getInteger("players"), step.getBoolean("passed") ? "pass" : "FAIL", step.getValue("answersPerSec"),
                step.getValue("ackP99Ms"), step.getValue("errors"), step.getValue("serverCpuPct"),
                step.getValue("generatorCpuPct"), step.getValue("heapPerPlayerKb"))));
        }
        if (report.containsKey("failover")) {
            section(out, "failover", report.getJsonObject("failover"));
        }
        section(out, "audit", report.getJsonObject("audit", new JsonObject()));
        out.append("matches finished: ").append(report.getValue("matchesFinished")).append('\n');
        out.append("report: ").append(dir.resolve("report.json")).append(" and ").append(dir.resolve("report.html")).append('\n');
        System.out.print(out);
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
