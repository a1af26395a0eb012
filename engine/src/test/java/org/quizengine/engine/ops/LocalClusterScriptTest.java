package org.quizengine.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.engine.local.ChildJvm;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.TestPlayer;

/**
 * The operator's local cluster, as README and deploy/README.md tell them to run it: each command of
 * {@code deploy/local-cluster.sh} really run, against real node processes and stores.
 */
class LocalClusterScriptTest {
    private static final Path SCRIPT = Path.of("..", "deploy", "local-cluster.sh").toAbsolutePath().normalize();
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
    @TempDir
    static Path dir;
    private static int httpBase;
    private static int hazelcastBase;
    private static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        httpBase = freeRange(4);
        hazelcastBase = freeRange(3);
        Result started = run("start", "-n", "2", "-c", "script-" + System.nanoTime(), "-p", Integer.toString(hazelcastBase),
            "-P", Integer.toString(httpBase));
        assertThat(started.exit()).as(started.output()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        Result stopped = run("stop");
        vertx.close();
        assertThat(stopped.exit()).as(stopped.output()).isZero();
        assertThat(stopped.output()).contains("Stopped.");
        assertThat(run("status").output()).contains("stores  down").doesNotContain("  up  ");
    }

    @Test
    void anOperatorAddsDrainsAndKillsNodesAndRestartsTheStoresEachWithOneCommand() throws Exception {
        String status = run("status").output();
        assertThat(status).contains("stores  up").contains("node 1  up").contains("node 2  up").contains("ready");
        awaitMembers(2); // the two started together formed one cluster

        Result added = run("add");
        assertThat(added.exit()).as(added.output()).isZero();
        assertThat(added.output()).contains("Node 3 joined");
        awaitMembers(3);
        TestPlayer onThree = TestPlayer.register(vertx, httpBase + 3, "script" + System.nanoTime() % 100_000);
        assertThat(onThree.getJson("/api/v1/me").getString("username")).isEqualTo(onThree.username);

        Result drained = run("drain", "3");
        assertThat(drained.exit()).as(drained.output()).isZero();
        assertThat(drained.output()).contains("Node 3 drained and stopped.");
        assertThat(run("status").output()).doesNotContain("node 3");
        awaitMembers(2);

        Result restarted = run("restart-stores");
        assertThat(restarted.exit()).as(restarted.output()).isZero();
        // The same stores, back on the same ports: what was stored is there, and new writes work.
        assertThat(onThree.onPort(httpBase + 1).getJson("/api/v1/me").getString("username")).isEqualTo(onThree.username);
        TestPlayer after = TestPlayer.register(vertx, httpBase + 2, "restarted" + System.nanoTime() % 100_000);
        assertThat(after.getJson("/api/v1/me").getString("username")).isEqualTo(after.username);

        Result killed = run("kill", "2");
        assertThat(killed.exit()).as(killed.output()).isZero();
        Eventually.await("node 2 reported down", Duration.ofSeconds(10), () -> statusOutput().contains("node 2  down"));
        assertThat(run("drain", "7").exit()).as("no such node").isEqualTo(2);
    }

    /** Node 1 sees {@code count} members within a minute; else the failure shows the cluster's state and node logs. */
    private static void awaitMembers(int count) throws IOException {
        try {
            Eventually.await("node 1 sees " + count + " members", Duration.ofSeconds(60), () -> membersSeenBy(1) == count);
        } catch (AssertionError e) {
            StringBuilder state = new StringBuilder(statusOutput());
            try (var logs = Files.list(dir.resolve("cluster"))) {
                for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                    state.append("\n--- ").append(log.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
                }
            }
            throw new AssertionError(e.getMessage() + "\n" + state, e);
        }
    }

    private static String statusOutput() {
        try {
            return run("status").output();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static int membersSeenBy(int node) {
        try {
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + (httpBase + node) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            return metrics.body().lines().filter(line -> line.startsWith("quiz_cluster_members"))
                .mapToInt(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(dir, "script", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("QUIZ_"));
        env.put("LOCAL_CLUSTER_DIR", dir.resolve("cluster").toString());
        env.put("LOCAL_CLUSTER_CLASSPATH", System.getProperty("java.class.path"));
        env.put("LOCAL_CLUSTER_JAVA_OPTS", String.join(" ", ChildJvm.JVM_OPENS) + " -Xmx384m");
        Process process = builder.start();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("local-cluster.sh " + String.join(" ", arguments) + " did not finish: "
                + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** A base port such that it and the {@code size} ports after it are free, in a range other runs rarely use. */
    private static int freeRange(int size) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(30_000, 40_000);
            if (allFree(base, size + 1)) {
                return base;
            }
        }
        throw new AssertionError("no free range of " + size + " ports");
    }

    private static boolean allFree(int first, int size) {
        for (int port = first; port < first + size; port++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
