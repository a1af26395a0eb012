package org.quizengine.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.ProcessCluster;
import org.quizengine.engine.support.Scrape;
import org.quizengine.engine.support.TestPlayer;

/**
 * Debian's nginx runs the shipped load balancer configuration ({@code deploy/nginx/nginx.conf}
 * including {@code quiz.conf}, only its {@code listen} port changed, and {@code upstream.conf} with
 * the compose services replaced by three node processes on loopback) in front of a real 3-node cluster
 * ({@link ProcessCluster}). Players register, connect and play only through nginx; a node serving
 * some of them (the match's own, when it serves one) is killed with SIGKILL, and its players
 * reconnect through nginx, land on a survivor and finish the match, stored once. nginx comes from
 * Debian's {@code nginx} package ({@code .ci/run} installs it); without it the test fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancerTest {
    private static final Path NGINX_DIR = OpsFiles.ROOT.resolve("deploy/nginx");
    private static final Pattern LISTEN = Pattern.compile("(?m)^(\\s*)listen 8080;$");
    private static final Pattern COMPOSE_NODE = Pattern.compile("server node(\\d):8080");
    private static final Duration START_WAIT = Duration.ofSeconds(20);
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(15);

    @RegisterExtension
    static final ProcessCluster cluster = ProcessCluster.forTestClass("lb", 3, 0,
        Map.of("QUIZ_HTTP_TRUSTED_PROXIES", "127.0.0.1"));

    private static Path prefix;
    private static Process nginx;
    private static int port;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startNginx() throws IOException {
        prefix = Files.createTempDirectory("quiz-nginx");
        // nginx's workers run as an unprivileged user when the test runs as root: let them in.
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
        port = freePort();
        Files.writeString(prefix.resolve("upstream.conf"), upstreamForTheTestNodes());
        Files.writeString(prefix.resolve("quiz.conf"), serverOnTheTestPort());
        Files.writeString(prefix.resolve("nginx.conf"), mainFileIncludingTheTestFiles());
        List<String> command = List.of(nginxBinary(), "-p", prefix + "/", "-e", prefix.resolve("error.log").toString(),
            "-c", prefix.resolve("nginx.conf").toString(), "-g", "daemon off; pid " + prefix.resolve("nginx.pid") + ";");
        nginx = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(prefix.resolve("nginx.out").toFile()).start();
        Eventually.await("nginx answers /health/live on port " + port + " (" + String.join(" ", command) + ")", START_WAIT,
            () -> {
                assertThat(nginx.isAlive()).as("nginx is running; it said:%n%s", nginxOutput()).isTrue();
                return answers();
            });
    }

    @AfterAll
    static void stopNginx() throws IOException {
        if (nginx != null) {
            nginx.destroy(); // SIGTERM: nginx's fast shutdown
            try {
                if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                    nginx.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (prefix != null) {
            try (var files = Files.walk(prefix)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    @Order(1)
    void restAndHealthGoThroughAndMetricsStayInside() {
        assertThat(status("/health/ready")).as("GET /health/ready through nginx").isEqualTo(200);
        assertThat(status("/api/v1/categories")).as("GET /api/v1/categories through nginx (needs a token)").isEqualTo(401);
        assertThat(status("/metrics")).as("GET /metrics through nginx: scraped on each node, not through the entry")
            .isEqualTo(404);
    }

    @Test
    @Order(2)
    void playersKeepTheirMatchThroughTheLoadBalancerWhenANodeBehindItIsKilled() {
        List<TestPlayer> players = new ArrayList<>();
        for (String name : List.of("la", "lb", "lc")) {
            TestPlayer player = cluster.track(TestPlayer.register(cluster.clients, port, name + System.nanoTime() % 100_000));
            player.connect().next("no_match");
            players.add(player);
        }
        players.forEach(p -> p.send(new JsonObject().put("type", "quick_match").put("size", 3)));
        // The match is known by its first question (a player attached a moment after the match formed
        // may get no match_starting: it goes to the players connected at formation).
        String matchId = players.get(0).next("question", f -> f.getInteger("index") == 0).getString("matchId");
        for (TestPlayer p : players.subList(1, players.size())) {
            assertThat(p.next("question", f -> f.getInteger("index") == 0).getString("matchId")).isEqualTo(matchId);
        }

        // The victim: the node running the match if a socket goes through it, else a node holding sockets.
        Map<NodeProcess, Integer> sockets = socketsPerNode();
        NodeProcess owner = cluster.node(cluster.ownerOf(matchId));
        NodeProcess victim = sockets.getOrDefault(owner, 0) > 0 ? owner
            : sockets.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int dropped = sockets.getOrDefault(victim, 0);
        assertThat(dropped).as("sockets through nginx on the node to kill (%s)", sockets).isPositive();
        List<Integer> marks = players.stream().map(TestPlayer::frameCount).toList();

        long killedAt = System.nanoTime();
        victim.kill9();
        Eventually.await(dropped + " sockets closed by nginx after their node died", Duration.ofSeconds(10),
            () -> players.stream().filter(TestPlayer::isClosed).count() == dropped);

        // Their players come back through nginx, which must not send them to the dead node.
        for (int i = 0; i < players.size(); i++) {
            if (players.get(i).isClosed()) {
                TestPlayer back = cluster.track(players.get(i).onPort(port)).connect();
                back.next("match_state", f -> matchId.equals(f.getString("matchId")));
                players.set(i, back);
                marks = withMark(marks, i, 0);
            }
        }
        long reconnectedMillis = Eventually.millisBetween(killedAt, System.nanoTime());

        // Question 0 is answered once the match (on a survivor, if its node died) judges answers again.
        Set<String> judgedRefusals = Set.of("QUESTION_CLOSED", "WRONG_QUESTION");
        Predicate<JsonObject> judged = f -> ("answer_accepted".equals(f.getString("type")) && f.getInteger("index") == 0)
            || ("error".equals(f.getString("type")) && judgedRefusals.contains(f.getString("code")));
        for (int i = 0; i < players.size(); i++) {
            TestPlayer p = players.get(i);
            Optional<JsonObject> answer = Optional.empty();
            while (answer.isEmpty() && System.nanoTime() - killedAt < FAILOVER_BOUND.toNanos()) {
                p.send(answer(0, 1));
                answer = p.firstSince(marks.get(i), judged, Duration.ofMillis(250));
            }
            assertThat(answer).as("%s's answer to question 0 judged within %s of the kill", p.username, FAILOVER_BOUND)
                .isPresent();
        }
        String nowOn = cluster.ownerOf(matchId);
        assertThat(cluster.node(nowOn).alive()).as("the match runs on a live node (%s)", nowOn).isTrue();
        for (int index = 1; index < 3; index++) {
            int current = index;
            for (TestPlayer p : players) {
                p.next("question", f -> f.getInteger("index") == current);
                p.send(answer(current, 0));
                p.next("answer_accepted", f -> f.getInteger("index") == current);
            }
        }
        List<JsonObject> finished = players.stream().map(p -> p.next("match_finished")).toList();
        for (JsonObject f : finished) {
            assertThat(f.getString("matchId")).isEqualTo(matchId);
            assertThat(f.getJsonArray("ranking")).isEqualTo(finished.get(0).getJsonArray("ranking"));
        }
        System.out.printf("[load-balancer] killed %s (%s, %d of 3 sockets through nginx on it); its players back in "
                + "the match through nginx %d ms after the kill; match %s now on %s%n",
            cluster.idOf(victim), victim == owner ? "the match's node" : "not the match's node", dropped,
            reconnectedMillis, matchId, nowOn);
        cluster.awaitStoredOnceAndSettled(matchId, players, Duration.ofSeconds(20));
    }

    /** The shipped upstream with each compose service {@code nodeK:8080} replaced by node K on loopback. */
    private static String upstreamForTheTestNodes() throws IOException {
        List<NodeProcess> nodes = new ArrayList<>(cluster.nodes().values());
        Matcher server = COMPOSE_NODE.matcher(Files.readString(NGINX_DIR.resolve("upstream.conf"), StandardCharsets.UTF_8));
        StringBuilder upstream = new StringBuilder();
        int replaced = 0;
        while (server.find()) {
            int n = Integer.parseInt(server.group(1));
            server.appendReplacement(upstream, "server 127.0.0.1:" + nodes.get(n - 1).port());
            replaced++;
        }
        server.appendTail(upstream);
        assertThat(replaced).as("servers node1..node3 in deploy/nginx/upstream.conf").isEqualTo(nodes.size());
        return upstream.toString();
    }

    /** The shipped nginx.conf, including the two files above instead of their places in the container. */
    private static String mainFileIncludingTheTestFiles() throws IOException {
        String shipped = Files.readString(NGINX_DIR.resolve("nginx.conf"), StandardCharsets.UTF_8);
        for (String file : List.of("upstream.conf", "quiz.conf")) {
            String include = "include /etc/nginx/quiz/" + file + ";";
            assertThat(shipped).as("deploy/nginx/nginx.conf includes %s", file).contains(include);
            shipped = shipped.replace(include, "include " + prefix.resolve(file) + ";");
        }
        return shipped;
    }

    private static String serverOnTheTestPort() throws IOException {
        String shipped = Files.readString(NGINX_DIR.resolve("quiz.conf"), StandardCharsets.UTF_8);
        Matcher listen = LISTEN.matcher(shipped);
        assertThat(listen.results().count()).as("one 'listen 8080;' line in deploy/nginx/quiz.conf").isEqualTo(1);
        return LISTEN.matcher(shipped).replaceFirst("$1listen 127.0.0.1:" + port + ";");
    }

    private static Map<NodeProcess, Integer> socketsPerNode() {
        Map<NodeProcess, Integer> sockets = new LinkedHashMap<>();
        for (NodeProcess node : cluster.alive()) {
            String metrics = get("http://127.0.0.1:" + node.port() + "/metrics").body();
            sockets.put(node, (int) new Scrape(metrics).value("quiz_connected_players"));
        }
        return sockets;
    }

    private static List<Integer> withMark(List<Integer> marks, int index, int mark) {
        List<Integer> changed = new ArrayList<>(marks);
        changed.set(index, mark);
        return changed;
    }

    private static JsonObject answer(int index, int option) {
        return new JsonObject().put("type", "answer").put("index", index).put("option", option);
    }

    /** Whether nginx answers /health/live with 200 yet (it may not listen yet). */
    private static boolean answers() {
        try {
            return status("/health/live") == 200;
        } catch (AssertionError e) {
            return false;
        }
    }

    private static int status(String path) {
        return get("http://127.0.0.1:" + port + path).statusCode();
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String nginxOutput() {
        try {
            Path out = prefix.resolve("nginx.out");
            Path log = prefix.resolve("error.log");
            return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(log) ? Files.readString(log) : "");
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static String nginxBinary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "nginx");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("nginx is not installed: install Debian's nginx package "
            + "(apt-get install -y --no-install-recommends nginx), as .ci/run does");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
