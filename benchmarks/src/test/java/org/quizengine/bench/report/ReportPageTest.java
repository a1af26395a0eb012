package org.quizengine.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Benchmark report page")
class ReportPageTest {

    private static final Pattern POLYLINE = Pattern.compile("<polyline[^>]*data-series=\"([^\"]+)\"[^>]*points=\"([^\"]*)\"");
    private static final Pattern TICK = Pattern.compile("<text class=\"tick\"[^>]*text-anchor=\"end\">([^<]*)</text>");

    @Test
    void drawsFiveChartsWithOnePointPerSample() {
        String html = ReportPage.render(reportWithTimeline(second(1, 2.1, 5.3), second(2, 2.4, 6.0), second(3, 2.2, 5.8)));

        assertThat(occurrences(html, "<svg")).isEqualTo(5);
        assertThat(polylines(html, "ackP99Ms")).containsExactly(3);
        assertThat(html).doesNotContain("no data");
    }

    @Test
    void aMissingSampleSplitsTheLineInsteadOfDroppingToZero() {
        String html = ReportPage.render(reportWithTimeline(
                second(1, 2.0, 5.0), second(2, 2.0, 6.0), second(3, 2.0, null), second(4, 2.0, 7.0), second(5, 2.0, 8.0)));

        assertThat(polylines(html, "ackP99Ms")).containsExactly(2, 2);
        assertThat(polylines(html, "ackP50Ms")).containsExactly(5);
    }

    @Test
    void aLoneSampleBetweenGapsIsADot() {
        String html = ReportPage.render(reportWithTimeline(second(1, 2.0, 5.0), second(2, 2.0, null), second(3, 2.0, 7.0)));

        assertThat(polylines(html, "ackP99Ms")).isEmpty();
        assertThat(occurrences(html, "<circle class=\"series-dot\" data-series=\"ackP99Ms\"")).isEqualTo(2);
    }

    @Test
    void aSeriesWithoutDataIsLeftOutOfTheLegend() {
        String html = ReportPage.render(reportWithTimeline(second(1, 2.0, 5.0), second(2, 3.0, 6.0)));

        assertThat(html).contains(">ackP99Ms</text>").doesNotContain(">lateP99Ms</text>");
    }

    @Test
    void axesAreLabelledWithRoundNumbers() {
        JsonArray timeline = new JsonArray()
                .add(new JsonObject().put("t", 1).put("answersPerSec", 12.5))
                .add(new JsonObject().put("t", 2).put("answersPerSec", 430.0));

        String throughput = chartTitled(ReportPage.render(new JsonObject().put("timeline", timeline)), "Throughput");

        assertThat(valueTicks(throughput)).containsExactly("0", "100", "200", "300", "400", "500");
    }

    @Test
    void eventsAreMarkedOnEveryChart() {
        JsonObject report = reportWithTimeline(second(1, 2.0, 5.0), second(2, 2.0, 6.0))
                .put("events", new JsonArray().add(new JsonObject().put("t", 1.5).put("label", "killed node-2 (kill -9)")));

        String html = ReportPage.render(report);

        assertThat(occurrences(html, "<line class=\"event\"")).isEqualTo(5);
        assertThat(html).contains(">killed node-2 (kill -9)</text>");
    }

    @Test
    void stringsFromTheReportAreEscaped() {
        JsonObject report = new JsonObject()
                .put("scenario", "<script>alert('x')</script>")
                .put("command", "./bench smoke --name \"a&b\"");

        String html = ReportPage.render(report);

        assertThat(html)
                .doesNotContain("<script")
                .contains("Quiz engine benchmark: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("<pre>./bench smoke --name &quot;a&amp;b&quot;</pre>");
    }

    @Test
    void anEmptyReportStillRendersAPageThatSaysThereIsNoData() {
        String html = ReportPage.render(new JsonObject());

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(occurrences(html, "no data")).isEqualTo(5);
        assertThat(html).doesNotContain("<polyline");
    }

    @Test
    void thePageFetchesNothing() {
        String html = ReportPage.render(reportWithTimeline(second(1, 2.0, 5.0), second(2, 2.0, 6.0)));

        assertThat(html).doesNotContain("http", "<script", "<link", "src=", "href=", "url(");
    }

    @Test
    void auditFailuresAreMarkedRed() {
        JsonObject audit = new JsonObject()
                .put("matchesFinished", 40)
                .put("lost", 2)
                .put("duplicated", 0)
                .put("leaderboardMismatches", 1)
                .put("examples", new JsonArray().add("match 7: answer <b> lost"));

        String html = ReportPage.render(new JsonObject().put("audit", audit));

        assertThat(html)
                .contains("<tr class=\"bad\"><th>lost</th><td>2</td></tr>")
                .contains("<tr class=\"bad\"><th>leaderboardMismatches</th><td>1</td></tr>")
                .contains("<tr><th>duplicated</th><td>0</td></tr>")
                .contains("<tr><th>matchesFinished</th><td>40</td></tr>")
                .contains("<li>match 7: answer &lt;b&gt; lost</li>");
    }

    @Test
    void tablesShowNumbersWithAtMostTwoDecimals() {
        JsonObject report = new JsonObject()
                .put("summary", new JsonObject().put("playersPeak", 20).put("answersPerSec", 8.126).put("heapMb", 210.0))
                .put("latency", new JsonObject().put("ackMs", new JsonObject()
                        .put("p50", 2.1).put("p95", 4).put("p99", 5.3).put("max", 9.99).put("count", 812)));

        String html = ReportPage.render(report);

        assertThat(html)
                .contains("<th>playersPeak</th><td>20</td>")
                .contains("<th>answersPerSec</th><td>8.13</td>")
                .contains("<th>heapMb</th><td>210</td>")
                .contains("<tr><td>ackMs</td><td>2.1</td><td>4</td><td>5.3</td><td>9.99</td><td>812</td></tr>");
    }

    @Test
    void errorsSayNoneWhenThereWereNone() {
        assertThat(ReportPage.render(new JsonObject().put("errors", new JsonObject())))
                .contains("<h2>Errors by code</h2>\n<p>none</p>");
        assertThat(ReportPage.render(new JsonObject().put("errors", new JsonObject().put("MATCH_OVERLOADED", 3))))
                .contains("<th>MATCH_OVERLOADED</th><td>3</td>");
    }

    @Test
    void capacityStepsHaveAColumnForEveryKeyAnyStepHas() {
        JsonArray steps = new JsonArray()
                .add(new JsonObject().put("players", 1000).put("passed", true))
                .add(new JsonObject().put("players", 2000).put("ackP99Ms", 48.5).put("passed", false));

        String html = ReportPage.render(new JsonObject().put("steps", steps));

        assertThat(html)
                .contains("<tr><th>players</th><th>passed</th><th>ackP99Ms</th></tr>")
                .contains("<tr><td>1000</td><td>true</td><td></td></tr>")
                .contains("<tr><td>2000</td><td>false</td><td>48.5</td></tr>");
    }

    @Test
    void theCpuChartShowsAllInAndTheStoresBesideTheServersOwnCpu() {
        String html = ReportPage.render(reportWithTimeline(
                withStores(second(1, 2.0, 5.0)), withStores(second(2, 2.0, 6.0)), second(3, 2.0, 7.0)));

        String cpu = chartTitled(html, "CPU (%)");
        assertThat(cpu).contains(">serverCpuPct</text>", ">allInCpuPct</text>", ">postgresCpuPct</text>",
                ">redisCpuPct</text>", ">generatorCpuPct</text>");
        assertThat(polylines(cpu, "serverCpuPct")).containsExactly(3);
        assertThat(polylines(cpu, "allInCpuPct")).as("a second without a /proc reading is a gap").containsExactly(2);
    }

    @Test
    void writeCreatesTheFileAndItsDirectories(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runs/smoke/report.html");
        JsonObject report = new JsonObject().put("scenario", "smoke");

        ReportPage.write(report, file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(ReportPage.render(report));
    }

    private static JsonObject reportWithTimeline(JsonObject... seconds) {
        return new JsonObject().put("scenario", "smoke").put("timeline", new JsonArray(Arrays.asList((Object[]) seconds)));
    }

    /** One timeline sample with something for every chart; {@code lateP99Ms} is always null. */
    private static JsonObject second(double t, Double ackP50Ms, Double ackP99Ms) {
        return new JsonObject()
                .put("t", t)
                .put("players", 20).put("inMatch", 20).put("liveMatches", 2)
                .put("answersPerSec", 8.0)
                .put("ackP50Ms", ackP50Ms).put("ackP99Ms", ackP99Ms).putNull("lateP99Ms")
                .put("serverCpuPct", 35.0).put("generatorCpuPct", 12.0).put("serverHeapMb", 210.0);
    }

    /** A timeline sample that also has the CPU read from /proc: all-in, PostgreSQL, Redis. */
    private static JsonObject withStores(JsonObject second) {
        return second.put("allInCpuPct", 52.0).put("postgresCpuPct", 11.0).put("redisCpuPct", 4.0);
    }

    /** The number of points in each polyline drawn for {@code series}, in document order. */
    private static List<Integer> polylines(String html, String series) {
        return POLYLINE.matcher(html).results()
                .filter(match -> match.group(1).equals(series))
                .map(match -> match.group(2).trim().split("\\s+").length)
                .toList();
    }

    private static List<String> valueTicks(String svg) {
        return TICK.matcher(svg).results().map(match -> match.group(1)).toList();
    }

    private static String chartTitled(String html, String title) {
        return Arrays.stream(html.split("<svg"))
                .filter(svg -> svg.contains("aria-label=\"" + title + "\""))
                .findFirst()
                .orElseThrow();
    }

    private static int occurrences(String text, String part) {
        return (int) Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }
}
