package org.quizengine.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.engine.support.Eventually;

/**
 * The Prometheus and Grafana files shipped in {@code deploy/} work with a real node: promtool
 * accepts the scrape config and the alert rules and passes their unit tests; every metric the
 * alerts and the dashboard query is in a live node's {@code /metrics}; and a real Prometheus
 * scrapes a live node, loads the rules, and answers queries on the node's metrics. promtool and
 * prometheus come from Debian's {@code prometheus} package ({@code .ci/run} installs it).
 */
class OpsFilesTest {
    private static final Path ROOT = OpsFiles.ROOT;
    private static final Path PROMETHEUS_DIR = ROOT.resolve("deploy/prometheus");
    private static final Path CONFIG = PROMETHEUS_DIR.resolve("prometheus.yml");
    private static final Path ALERTS = PROMETHEUS_DIR.resolve("alerts.yml");
    private static final Path ALERT_TESTS = PROMETHEUS_DIR.resolve("alerts_test.yml");
    private static final Path DASHBOARD = ROOT.resolve("deploy/grafana/dashboards/quiz.json");
    private static final Duration TOOL_WAIT = Duration.ofSeconds(30);
    /** Series Prometheus makes itself for each target, not read from the node. */
    private static final Set<String> PROMETHEUS_MADE = Set.of("up");
    /** PromQL words that are neither metrics nor followed by "(". */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
        "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern EXPR_LINE = Pattern.compile("^\\s*expr:\\s*(.+)$", Pattern.MULTILINE);

    private static PlayedNode played;

    @BeforeAll
    static void playAMatch() {
        played = PlayedNode.start();
    }

    @AfterAll
    static void stop() {
        if (played != null) {
            played.close();
        }
    }

    @Test
    void promtoolAcceptsTheShippedConfigAndRules() {
        assertRuns(List.of(tool("promtool"), "check", "config", CONFIG.toString()));
        assertRuns(List.of(tool("promtool"), "check", "rules", ALERTS.toString()));
    }

    @Test
    void theAlertRulesPassTheirUnitTests() {
        String output = assertRuns(List.of(tool("promtool"), "test", "rules", ALERT_TESTS.toString()));
        assertThat(output).contains("SUCCESS");
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardQueryIsInALiveNodesMetrics() throws IOException {
        Set<String> queried = new TreeSet<>();
        for (String expr : alertExpressions()) {
            queried.addAll(metricNames(expr));
        }
        List<String> dashboardExprs = dashboardExpressions();
        assertThat(dashboardExprs).as("the dashboard's queries").hasSizeGreaterThan(20);
        for (String expr : dashboardExprs) {
            queried.addAll(metricNames(expr));
        }
        assertThat(queried).as("the extractor finds the metrics").contains("quiz_answer_ack_seconds_bucket",
            "quiz_matchmaker_running", "quiz_results_oldest_pending_seconds", "quiz_store_up", "jvm_memory_used_bytes");
        queried.removeAll(PROMETHEUS_MADE);
        Set<String> exported = played.metrics().names();
        assertThat(exported).as("metrics a live node exports after a played match").containsAll(queried);
    }

    @Test
    void theMetricExtractorSkipsFunctionsKeywordsLabelsAndRanges() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (node, le) (rate(a_bucket{node=~\"$node\",le!=\"x\"}[5m]))) > 0.05"))
            .containsExactly("a_bucket");
        assertThat(metricNames("(max(b) != min(b)) or (max(b) < count(up{job=\"quiz\"} == 1))")).containsExactly("b", "up");
        assertThat(metricNames("max(c) > 10 and max(deriv(d[10m])) > 0")).containsExactly("c", "d");
        assertThat(metricNames("label_values(e, node)")).containsExactly("e");
    }

    @Test
    void aRealPrometheusScrapesALiveNodeAndLoadsTheRules(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - %s
            scrape_configs:
              - job_name: quiz
                honor_labels: true
                static_configs:
                  - targets: ["127.0.0.1:%d"]
                    labels:
                      node: %s
            """.formatted(ALERTS, played.port(), played.node.node.nodeId()));
        Process prometheus = new ProcessBuilder(tool("prometheus"), "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://127.0.0.1:" + port;
            Eventually.await("Prometheus scraped the node (its log: " + dir.resolve("prometheus.log") + ")",
                Duration.ofSeconds(40), () -> !query(http, base, "up{job=\"quiz\"} == 1").isEmpty());
            JsonArray acks = query(http, base, "quiz_answer_ack_seconds_count");
            assertThat(acks).hasSize(1);
            JsonObject ack = acks.getJsonObject(0);
            assertThat(ack.getJsonObject("metric").getString("node")).isEqualTo(played.node.node.nodeId());
            assertThat(Double.parseDouble(ack.getJsonArray("value").getString(1))).isGreaterThanOrEqualTo(7);
            assertThat(query(http, base, "sum(quiz_matchmaker_running)").getJsonObject(0).getJsonArray("value").getString(1))
                .isEqualTo("1");
            JsonObject rules = get(http, base + "/api/v1/rules");
            List<String> loaded = new ArrayList<>();
            for (Object group : rules.getJsonObject("data").getJsonArray("groups")) {
                for (Object rule : ((JsonObject) group).getJsonArray("rules")) {
                    loaded.add(((JsonObject) rule).getString("name"));
                }
            }
            assertThat(loaded).contains("QuizNodeDown", "QuizTwoMatchmakers", "QuizAnswerAckP99OverBudget", "QuizStoreDown",
                "QuizOutboxGrowing", "QuizClusterSplit");
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The result vector of an instant query. */
    private static JsonArray query(HttpClient http, String base, String promql) {
        JsonObject answer = get(http, base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return answer == null ? new JsonArray() : answer.getJsonObject("data").getJsonArray("result");
    }

    /** A GET of Prometheus's API; null while it does not answer yet. */
    private static JsonObject get(HttpClient http, String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<String> alertExpressions() throws IOException {
        List<String> exprs = new ArrayList<>();
        Matcher expr = EXPR_LINE.matcher(Files.readString(ALERTS));
        while (expr.find()) {
            String text = expr.group(1).trim();
            assertThat(text).as("alerts.yml writes each expr on one line").doesNotStartWith("|").doesNotStartWith(">");
            exprs.add(text);
        }
        assertThat(exprs).as("alerts.yml's rules").hasSizeGreaterThanOrEqualTo(6);
        return exprs;
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
        assertThat(dashboard.getInteger("schemaVersion")).isGreaterThanOrEqualTo(36);
        List<String> exprs = new ArrayList<>();
        for (Object panel : dashboard.getJsonArray("panels")) {
            JsonArray targets = ((JsonObject) panel).getJsonArray("targets");
            if (targets != null) {
                targets.forEach(target -> exprs.add(((JsonObject) target).getString("expr")));
            }
        }
        for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
            exprs.add(((JsonObject) variable).getString("definition"));
        }
        return exprs;
    }

    /**
     * The metric names a PromQL expression reads: identifiers left once strings, label matchers,
     * ranges and grouping clauses are removed, that are not functions (followed by "(") or keywords.
     */
    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        if (bare.startsWith("label_values(")) {
            bare = bare.substring("label_values(".length(), bare.indexOf(','));
        }
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String word = identifier.group();
            int after = identifier.end();
            while (after < bare.length() && bare.charAt(after) == ' ') {
                after++;
            }
            boolean function = after < bare.length() && bare.charAt(after) == '(';
            boolean number = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!function && !number && !KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    /** The path of a tool on PATH; fails, saying how to install it, when there is none. */
    static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(name + " is not on PATH: install Debian's prometheus package "
            + "(apt-get install -y --no-install-recommends prometheus), as .ci/run does");
    }

    /** Runs a command and fails with its output unless it exits 0 in time; returns its output. */
    static String assertRuns(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            boolean done = process.waitFor(TOOL_WAIT.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly();
            }
            String text = new String(output, StandardCharsets.UTF_8);
            assertThat(done && process.exitValue() == 0).as("%s exits 0; it said:%n%s", String.join(" ", command), text).isTrue();
            return text;
        } catch (IOException e) {
            throw new AssertionError("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
