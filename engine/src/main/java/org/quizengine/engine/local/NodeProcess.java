package org.quizengine.engine.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real node ({@code org.quizengine.engine.Main}) in its own JVM, for tests and benchmark runs that
 * must kill a node the way an operator or the kernel would: {@link #kill9()} runs no shutdown hook at
 * all, which an in-process node cannot imitate. Configured only by {@code QUIZ_*} variables, like
 * production.
 *
 * <p>Give it the URIs of a {@link StoresProcess} (or other shared stores): a node with none starts
 * embedded ones, and killing it would then take its database down with it.
 */
public final class NodeProcess implements AutoCloseable {
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final ChildJvm jvm;
    private final int port;

    private NodeProcess(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    /**
     * Starts a node with {@code env} plus {@code QUIZ_HTTP_PORT} (a free port), {@code QUIZ_HTTP_HOST}
     * 127.0.0.1 and a fresh {@code QUIZ_STORAGE_DATA_DIR} (its result spool) unless {@code env} sets
     * them, and waits until {@code /health/ready} answers 200.
     *
     * @throws IllegalStateException with the log's tail if it exits or is not ready within {@link #READY_TIMEOUT}
     */
    public static NodeProcess start(Map<String, String> env) {
        return start(env, List.of("-Xmx512m"));
    }

    /** As {@link #start(Map)}, with these JVM options (heap size, GC flags) instead of a 512 MB heap. */
    public static NodeProcess start(Map<String, String> env, List<String> jvmOptions) {
        Path dir = tempDir("quiz-node-process");
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("QUIZ_HTTP_HOST", "127.0.0.1");
        all.putIfAbsent("QUIZ_STORAGE_DATA_DIR", dir.resolve("data").toString());
        String configuredPort = all.get("QUIZ_HTTP_PORT");
        int port = configuredPort == null || configuredPort.equals("0") ? ChildJvm.freePort() : Integer.parseInt(configuredPort);
        all.put("QUIZ_HTTP_PORT", Integer.toString(port));
        String name = "node " + all.getOrDefault("QUIZ_NODE_ID", "on port " + port);
        ChildJvm jvm = ChildJvm.start(name, "org.quizengine.engine.Main", jvmOptions, all, dir.resolve("node.log"), false, () -> {
        });
        NodeProcess node = new NodeProcess(jvm, port);
        node.awaitReady();
        return node;
    }

    /**
     * Settings for one member of a loopback cluster whose members' Hazelcast ports are all listed,
     * this one's being {@code hazelcastPort}: a member never scans into another cluster on the same
     * machine (5701.. may be taken by other runs).
     */
    public static Map<String, String> clusterMember(String clusterName, int hazelcastPort, List<Integer> memberPorts) {
        return Map.of(
            "QUIZ_CLUSTER_ENABLED", "true",
            "QUIZ_CLUSTER_NAME", clusterName,
            "QUIZ_CLUSTER_INTERFACE", "127.0.0.1",
            "QUIZ_CLUSTER_PORT", Integer.toString(hazelcastPort),
            "QUIZ_CLUSTER_MEMBERS", memberPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    }

    /** A port free on loopback now, for {@code QUIZ_CLUSTER_PORT} and the like. */
    public static int freePort() {
        return ChildJvm.freePort();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jvm.alive()) {
                throw new IllegalStateException(jvm.describe() + " exited before it was ready\n" + logTail());
            }
            if (ready()) {
                return;
            }
            sleep(POLL);
        }
        String tail = logTail();
        jvm.terminate(ChildJvm.GRACEFUL_STOP);
        throw new IllegalStateException(jvm.describe() + " was not ready in " + READY_TIMEOUT + "\n" + tail);
    }

    /** Whether {@code GET /health/ready} answers 200 now. */
    public boolean ready() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The HTTP (REST, health, /ws) port. */
    public int port() {
        return port;
    }

    public long pid() {
        return jvm.pid();
    }

    public boolean alive() {
        return jvm.alive();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill9() {
        jvm.kill9();
    }

    /** SIGSTOP: the node stops where it is, its sockets and cluster connections left open. */
    public void freeze() {
        jvm.freeze();
    }

    /** SIGCONT: the frozen node carries on from where it stopped. */
    public void thaw() {
        jvm.thaw();
    }

    /** SIGTERM (the node drains and stops), waiting up to 30 s; SIGKILL if it has not stopped by then. */
    public void terminate() {
        if (!jvm.terminate(ChildJvm.GRACEFUL_STOP)) {
            throw new IllegalStateException(jvm.describe() + " did not stop within " + ChildJvm.GRACEFUL_STOP
                + " of SIGTERM and was killed\n" + logTail());
        }
    }

    /** The last lines of the node's log (stdout and stderr), and where the whole log is. */
    public String logTail() {
        return jvm.logTail();
    }

    public Path log() {
        return jvm.log();
    }

    /** Terminates the node if it still runs. */
    @Override
    public void close() {
        if (jvm.alive()) {
            terminate();
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
