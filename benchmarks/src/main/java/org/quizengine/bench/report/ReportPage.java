package org.quizengine.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a benchmark report into one self-contained HTML page: inline CSS and inline SVG charts,
 * nothing fetched from anywhere, so it opens on a machine with no network.
 */
public final class ReportPage {

    private static final List<Chart> CHARTS = List.of(
            new Chart("Load", List.of("players", "inMatch", "liveMatches")),
            new Chart("Throughput", List.of("answersPerSec")),
            new Chart("Latency (ms)", List.of("ackP50Ms", "ackP99Ms", "lateP99Ms")),
            // Server CPU by the nodes' metric beside all-in (nodes, PostgreSQL and Redis, by /proc).
            new Chart("CPU (%)", List.of("serverCpuPct", "allInCpuPct", "postgresCpuPct", "redisCpuPct", "generatorCpuPct")),
            // Heap gets its own chart: hundreds of MB on the CPU chart's 0-100 axis would flatten CPU.
            new Chart("Heap (MB)", List.of("serverHeapMb")));
    private static final List<String> COLOURS = List.of("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd");
    private static final List<String> LATENCY_COLUMNS = List.of("metric", "p50", "p95", "p99", "max", "count");

    private static final int WIDTH = 960;
    private static final int HEIGHT = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = WIDTH - 24;
    private static final int TOP = 44;
    private static final int BOTTOM = HEIGHT - 40;
    private static final int LEGEND_ITEM_WIDTH = 150;
    private static final int TARGET_TICKS = 5;

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
            pre { background: #f4f4f4; padding: .6em; white-space: pre-wrap; }
            table { border-collapse: collapse; margin-bottom: 1em; }
            th, td { border: 1px solid #ccc; padding: .2em .6em; text-align: left; }
            td { text-align: right; font-variant-numeric: tabular-nums; }
            tr.bad { color: #c62828; font-weight: bold; }
            svg.chart { display: block; max-width: 100%; height: auto; margin-bottom: 1em; }
            svg text { font-size: 12px; fill: #333; }
            svg .title { font-size: 15px; font-weight: bold; }
            svg .grid { stroke: #e6e6e6; }
            svg .axis { stroke: #333; }
            svg .event { stroke: #555; stroke-dasharray: 5 4; }
            svg .event-label { paint-order: stroke; stroke: #fff; stroke-width: 3px; }
            svg .series { fill: none; stroke-width: 1.6; }
            """;

    private ReportPage() {
    }

    /**
     * The whole HTML document for a report: the run (scenario, command, start, duration, target), tables of
     * the summary, workload, latency percentiles, answer-ack p99 per 10 s window, errors by code, the audit
     * (lost, duplicated and mismatched results in red) and the capacity steps, and line charts over time of
     * load, throughput, latency, CPU and heap with the report's events marked on each. Sections the report lacks are left out; it never throws
     * on missing or null data.
     */
    public static String render(JsonObject report) {
        JsonObject data = report == null ? new JsonObject() : report;
        String title = data.getValue("scenario") == null
                ? "Quiz engine benchmark"
                : "Quiz engine benchmark: " + text(data.getValue("scenario"));
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>" + title + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n"
                + "<h1>" + title + "</h1>\n"
                + run(data)
                + section("Summary", keyValueTable(objectAt(data, "summary")))
                + section("Workload", keyValueTable(objectAt(data, "workload")))
                + section("Latency (ms)", latencyTable(objectAt(data, "latency")))
                + section("Answer-ack p99 per 10 s window (ms)",
                        keyValueTable(objectAt(data, "ackP99Windows"), key -> key.equals("windowsOver100Ms")))
                + errors(data)
                + audit(objectAt(data, "audit"))
                + chaos(objectAt(data, "chaos"))
                + section("Capacity steps", stepsTable(objectsAt(data, "steps")))
                + section("Timeline", charts(objectsAt(data, "timeline"), events(data)))
                + "</body>\n</html>\n";
    }

    /** Writes {@link #render(JsonObject) the page} to {@code file} as UTF-8, creating its parent directories. */
    public static void write(JsonObject report, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, render(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report page to " + file, e);
        }
    }

    // ---- header and tables

    private static String run(JsonObject report) {
        JsonObject target = objectAt(report, "target");
        JsonObject run = new JsonObject()
                .put("started at", report.getValue("startedAt"))
                .put("duration (s)", report.getValue("durationSeconds"))
                .put("target", target.getValue("kind"))
                .put("nodes", target.getValue("nodes"))
                .put("urls", target.getValue("urls"));
        String command = report.getValue("command") == null ? "" : "<pre>" + text(report.getValue("command")) + "</pre>\n";
        return command + keyValueTable(run);
    }

    private static String errors(JsonObject report) {
        if (!(report.getValue("errors") instanceof JsonObject errors)) {
            return "";
        }
        return section("Errors by code", errors.isEmpty() ? "<p>none</p>\n" : keyValueTable(errors));
    }

    private static String audit(JsonObject audit) {
        JsonObject counts = audit.copy();
        counts.remove("examples");
        counts.remove("lostMatchIds");
        counts.remove("duplicatedMatchIds");
        String examples = arrayAt(audit, "examples").stream()
                .map(example -> "<li>" + text(example) + "</li>\n")
                .collect(Collectors.joining());
        String list = examples.isEmpty() ? "" : "<ul>\n" + examples + "</ul>\n";
        return section("Audit", keyValueTable(counts, ReportPage::isAlarming) + list);
    }

    /** The chaos run: one table of figures per fault, its targets marked, and the targets over all faults. */
    private static String chaos(JsonObject chaos) {
        StringBuilder body = new StringBuilder();
        for (JsonObject fault : objectsAt(chaos, "faults")) {
            JsonObject figures = fault.copy();
            List.of("targets", "fault", "label", "lateResults").forEach(figures::remove);
            JsonObject late = objectAt(fault, "lateResults").copy();
            late.remove("lateExamples");
            body.append("<h3>").append(text(fault.getValue("label"))).append("</h3>\n")
                .append(keyValueTable(figures, key -> key.equals("playersLost") || key.startsWith("results")))
                .append(keyValueTable(late, key -> key.equals("late") || key.equals("notStored")))
                .append(targetsTable(objectsAt(fault, "targets")));
        }
        List<JsonObject> overall = objectsAt(chaos, "targets").stream()
                .map(t -> new JsonObject().put("target", t.getValue("target")).put("passed", t.getValue("passed"))
                        .put("measured", t.getValue("failedIn")))
                .toList();
        if (!overall.isEmpty()) {
            body.append("<h3>Over all faults</h3>\n").append(targetsTable(overall));
        }
        return section("Chaos: faults and targets", body.toString());
    }

    private static String targetsTable(List<JsonObject> targets) {
        StringBuilder rows = new StringBuilder();
        for (JsonObject target : targets) {
            boolean passed = Boolean.TRUE.equals(target.getValue("passed"));
            rows.append(passed ? "<tr>" : "<tr class=\"bad\">").append("<th>").append(text(target.getValue("target")))
                    .append("</th><td>").append(passed ? "PASS" : "FAIL").append("</td><td>")
                    .append(text(target.getValue("measured"))).append("</td></tr>\n");
        }
        return rows.isEmpty() ? "" : "<table>\n" + rows + "</table>\n";
    }

    /** Anything the audit found lost, duplicated, mismatched or missing is a correctness failure. */
    private static boolean isAlarming(String key) {
        return key.equals("lost") || key.equals("duplicated") || key.endsWith("Mismatches") || key.endsWith("Missing");
    }

    private static String latencyTable(JsonObject latency) {
        List<JsonObject> rows = new ArrayList<>();
        for (Map.Entry<String, Object> entry : latency) {
            if (entry.getValue() instanceof JsonObject percentiles) {
                rows.add(new JsonObject().put("metric", entry.getKey()).mergeIn(percentiles));
            }
        }
        return columnsTable(LATENCY_COLUMNS, rows);
    }

    private static String stepsTable(List<JsonObject> steps) {
        Set<String> columns = new LinkedHashSet<>();
        steps.forEach(step -> columns.addAll(step.fieldNames()));
        return columnsTable(List.copyOf(columns), steps);
    }

    private static String keyValueTable(JsonObject values) {
        return keyValueTable(values, key -> false);
    }

    /** One row per non-null value, the key as its header; a row whose key is alarming and value non-zero is red. */
    private static String keyValueTable(JsonObject values, Predicate<String> alarming) {
        StringBuilder rows = new StringBuilder();
        for (Map.Entry<String, Object> entry : values) {
            if (entry.getValue() == null) {
                continue;
            }
            boolean bad = alarming.test(entry.getKey()) && entry.getValue() instanceof Number n && n.doubleValue() != 0;
            rows.append(bad ? "<tr class=\"bad\">" : "<tr>")
                    .append("<th>").append(escape(entry.getKey())).append("</th>")
                    .append("<td>").append(text(entry.getValue())).append("</td></tr>\n");
        }
        return rows.isEmpty() ? "" : "<table>\n" + rows + "</table>\n";
    }

    private static String columnsTable(List<String> columns, List<JsonObject> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        String header = columns.stream().map(column -> "<th>" + escape(column) + "</th>").collect(Collectors.joining());
        StringBuilder table = new StringBuilder("<table>\n<tr>").append(header).append("</tr>\n");
        for (JsonObject row : rows) {
            table.append("<tr>");
            columns.forEach(column -> table.append("<td>").append(text(row.getValue(column))).append("</td>"));
            table.append("</tr>\n");
        }
        return table.append("</table>\n").toString();
    }

    private static String section(String heading, String body) {
        return body.isEmpty() ? "" : "<section>\n<h2>" + heading + "</h2>\n" + body + "</section>\n";
    }

    // ---- charts

    private record Chart(String title, List<String> keys) {
    }

    private record Point(double t, double value) {
    }

    /** A line broken into segments wherever the timeline has no value for it. */
    private record Series(String key, String colour, List<List<Point>> segments) {
        Stream<Point> points() {
            return segments.stream().flatMap(List::stream);
        }
    }

    private record Event(double t, String label) {
    }

    /** An axis from {@code min} to {@code max} in round steps of 1, 2 or 5 times a power of ten. */
    private record Scale(double min, double max, double step) {
        static Scale nice(double low, double high) {
            double top = high > low ? high : low + 1;
            double step = niceStep((top - low) / TARGET_TICKS);
            // The epsilon keeps 0.30000000000000004 / 0.1 from growing the axis by a whole step.
            return new Scale(Math.floor(low / step + 1e-9) * step, Math.ceil(top / step - 1e-9) * step, step);
        }

        private static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double fraction = raw / magnitude;
            double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
            return nice * magnitude;
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            for (int i = 0; min + i * step <= max + step * 1e-9; i++) {
                ticks.add(min + i * step);
            }
            return ticks;
        }

        int decimals() {
            return Math.max(0, (int) -Math.floor(Math.log10(step)));
        }
    }

    /** Maps data to pixels inside the plot area. */
    private record Plot(Scale x, Scale y) {
        double px(double t) {
            return LEFT + (t - x.min()) / (x.max() - x.min()) * (RIGHT - LEFT);
        }

        double py(double value) {
            return BOTTOM - (value - y.min()) / (y.max() - y.min()) * (BOTTOM - TOP);
        }
    }

    private static String charts(List<JsonObject> timeline, List<Event> events) {
        Scale x = timeScale(timeline, events);
        return CHARTS.stream().map(chart -> chart(chart, timeline, events, x)).collect(Collectors.joining());
    }

    /** All charts share one time axis from 0 (the start) to the last sample or event. */
    private static Scale timeScale(List<JsonObject> timeline, List<Event> events) {
        DoubleSummaryStatistics times = Stream.concat(
                        timeline.stream().map(row -> finiteNumber(row, "t")).filter(Objects::nonNull),
                        events.stream().map(Event::t))
                .mapToDouble(Double::doubleValue)
                .summaryStatistics();
        return times.getCount() == 0 ? Scale.nice(0, 1) : Scale.nice(Math.min(0, times.getMin()), times.getMax());
    }

    private static String chart(Chart chart, List<JsonObject> timeline, List<Event> events, Scale x) {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < chart.keys().size(); i++) {
            Series line = series(chart.keys().get(i), COLOURS.get(i % COLOURS.size()), timeline);
            if (!line.segments().isEmpty()) {
                series.add(line);
            }
        }
        if (series.isEmpty()) {
            return noData(chart.title());
        }
        Plot plot = new Plot(x, valueScale(series));
        return openSvg(chart.title(), HEIGHT)
                + legend(series)
                + yTicks(plot)
                + xTicks(plot)
                + eventLines(events, plot)
                + lines(series, plot)
                + axes()
                + "</svg>\n";
    }

    private static Series series(String key, String colour, List<JsonObject> timeline) {
        List<List<Point>> segments = new ArrayList<>();
        List<Point> current = new ArrayList<>();
        for (JsonObject row : timeline) {
            Double t = finiteNumber(row, "t");
            Double value = finiteNumber(row, key);
            if (t != null && value != null) {
                current.add(new Point(t, value));
            } else if (!current.isEmpty()) {
                segments.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            segments.add(current);
        }
        return new Series(key, colour, segments);
    }

    /** The value axis starts at zero unless a value is negative, so heights compare honestly. */
    private static Scale valueScale(List<Series> series) {
        DoubleSummaryStatistics values = series.stream().flatMap(Series::points).mapToDouble(Point::value)
                .summaryStatistics();
        return Scale.nice(Math.min(0, values.getMin()), values.getMax());
    }

    private static String noData(String title) {
        return openSvg(title, 70)
                + "<text x=\"" + LEFT + "\" y=\"52\">no data</text>\n"
                + "</svg>\n";
    }

    private static String openSvg(String title, int height) {
        return "<svg class=\"chart\" viewBox=\"0 0 " + WIDTH + " " + height + "\" width=\"" + WIDTH
                + "\" height=\"" + height + "\" role=\"img\" aria-label=\"" + title + "\">\n"
                + "<text class=\"title\" x=\"" + LEFT + "\" y=\"20\">" + title + "</text>\n";
    }

    /** Right-aligned across the top, one swatch and name per series that has data. */
    private static String legend(List<Series> series) {
        StringBuilder legend = new StringBuilder();
        for (int i = 0; i < series.size(); i++) {
            int x = RIGHT - (series.size() - i) * LEGEND_ITEM_WIDTH;
            legend.append("<line x1=\"").append(x).append("\" y1=\"16\" x2=\"").append(x + 18)
                    .append("\" y2=\"16\" stroke=\"").append(series.get(i).colour()).append("\" stroke-width=\"3\"/>")
                    .append("<text class=\"legend\" x=\"").append(x + 24).append("\" y=\"20\">")
                    .append(escape(series.get(i).key())).append("</text>\n");
        }
        return legend.toString();
    }

    private static String yTicks(Plot plot) {
        StringBuilder ticks = new StringBuilder();
        for (double value : plot.y().ticks()) {
            String y = coordinate(plot.py(value));
            ticks.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" y1=\"").append(y)
                    .append("\" x2=\"").append(RIGHT).append("\" y2=\"").append(y).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(y)
                    .append("\" dy=\"4\" text-anchor=\"end\">").append(decimals(value, plot.y().decimals()))
                    .append("</text>\n");
        }
        return ticks.toString();
    }

    private static String xTicks(Plot plot) {
        StringBuilder ticks = new StringBuilder();
        for (double t : plot.x().ticks()) {
            String x = coordinate(plot.px(t));
            ticks.append("<line class=\"grid\" x1=\"").append(x).append("\" y1=\"").append(TOP)
                    .append("\" x2=\"").append(x).append("\" y2=\"").append(BOTTOM).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(x).append("\" y=\"").append(BOTTOM + 16)
                    .append("\" text-anchor=\"middle\">").append(decimals(t, plot.x().decimals()))
                    .append("</text>\n");
        }
        return ticks.append("<text x=\"").append(RIGHT).append("\" y=\"").append(BOTTOM + 34)
                .append("\" text-anchor=\"end\">t (s)</text>\n").toString();
    }

    /** Dashed verticals with their labels, staggered over three rows so close events stay legible. */
    private static String eventLines(List<Event> events, Plot plot) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            double px = plot.px(events.get(i).t());
            boolean nearRightEdge = px > RIGHT - LEGEND_ITEM_WIDTH;
            String x = coordinate(px);
            lines.append("<line class=\"event\" x1=\"").append(x).append("\" y1=\"").append(TOP)
                    .append("\" x2=\"").append(x).append("\" y2=\"").append(BOTTOM).append("\"/>")
                    .append("<text class=\"event-label\" x=\"").append(coordinate(nearRightEdge ? px - 4 : px + 4))
                    .append("\" y=\"").append(TOP + 12 + (i % 3) * 14).append("\"")
                    .append(nearRightEdge ? " text-anchor=\"end\">" : ">")
                    .append(escape(events.get(i).label())).append("</text>\n");
        }
        return lines.toString();
    }

    /** A polyline per segment; a segment of one sample would be invisible as a line, so it is a dot. */
    private static String lines(List<Series> series, Plot plot) {
        StringBuilder lines = new StringBuilder();
        for (Series line : series) {
            for (List<Point> segment : line.segments()) {
                lines.append(segment.size() == 1 ? dot(line, segment.get(0), plot) : polyline(line, segment, plot));
            }
        }
        return lines.toString();
    }

    private static String polyline(Series line, List<Point> segment, Plot plot) {
        String points = segment.stream()
                .map(p -> coordinate(plot.px(p.t())) + "," + coordinate(plot.py(p.value())))
                .collect(Collectors.joining(" "));
        return "<polyline class=\"series\" data-series=\"" + escape(line.key()) + "\" stroke=\"" + line.colour()
                + "\" points=\"" + points + "\"/>\n";
    }

    private static String dot(Series line, Point point, Plot plot) {
        return "<circle class=\"series-dot\" data-series=\"" + escape(line.key()) + "\" fill=\"" + line.colour()
                + "\" cx=\"" + coordinate(plot.px(point.t())) + "\" cy=\"" + coordinate(plot.py(point.value()))
                + "\" r=\"2.5\"/>\n";
    }

    private static String axes() {
        return "<line class=\"axis\" x1=\"" + LEFT + "\" y1=\"" + TOP + "\" x2=\"" + LEFT + "\" y2=\"" + BOTTOM + "\"/>"
                + "<line class=\"axis\" x1=\"" + LEFT + "\" y1=\"" + BOTTOM + "\" x2=\"" + RIGHT + "\" y2=\"" + BOTTOM
                + "\"/>\n";
    }

    private static List<Event> events(JsonObject report) {
        List<Event> events = new ArrayList<>();
        for (JsonObject event : objectsAt(report, "events")) {
            Double t = finiteNumber(event, "t");
            if (t != null) {
                Object label = event.getValue("label");
                events.add(new Event(t, label == null ? "" : label.toString()));
            }
        }
        return events;
    }

    // ---- reading the report

    private static JsonObject objectAt(JsonObject parent, String key) {
        return parent.getValue(key) instanceof JsonObject object ? object : new JsonObject();
    }

    private static List<JsonObject> objectsAt(JsonObject parent, String key) {
        return arrayAt(parent, key).stream()
                .filter(JsonObject.class::isInstance)
                .map(JsonObject.class::cast)
                .toList();
    }

    private static JsonArray arrayAt(JsonObject parent, String key) {
        return parent.getValue(key) instanceof JsonArray array ? array : new JsonArray();
    }

    /** A number to plot, or null for a gap; NaN or infinity (say a rate over zero seconds) is a gap too. */
    private static Double finiteNumber(JsonObject row, String key) {
        return row.getValue(key) instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
    }

    // ---- formatting

    /** A report value as escaped HTML text: numbers with at most two decimals, arrays as a comma list. */
    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number n) {
            return Double.isFinite(n.doubleValue()) ? decimals(n.doubleValue(), 2) : escape(n.toString());
        }
        if (value instanceof JsonArray array) {
            return array.stream().map(ReportPage::text).collect(Collectors.joining(", "));
        }
        return escape(value.toString());
    }

    private static String decimals(double value, int maxDecimals) {
        return BigDecimal.valueOf(value).setScale(maxDecimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String coordinate(double pixels) {
        return decimals(pixels, 1);
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
