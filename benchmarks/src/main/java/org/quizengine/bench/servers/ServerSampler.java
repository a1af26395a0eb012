package org.quizengine.bench.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.quizengine.engine.metrics.NodeMetrics;

/**
 * Reads every server's Prometheus metrics ({@code GET /metrics}): CPU used since the last reading,
 * heap in use, connected players and live matches. A server that does not answer (killed, or slow
 * beyond two seconds) is left out of that reading rather than stopping the run. Where the target's
 * processes run here, it also reads their CPU from {@code /proc}, stores included ({@link ProcessTreeCpu}).
 */
public final class ServerSampler {
    /** The node's names for its series (Prometheus adds {@code _total} to a counter's). */
    static final String CPU = NodeMetrics.PROCESS_CPU_SECONDS + "_total";
    static final String HEAP = "jvm_memory_used_bytes";
    static final String CONNECTED = NodeMetrics.CONNECTED_PLAYERS;
    static final String LIVE_MATCHES = NodeMetrics.LIVE_MATCHES;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration GC_TIMEOUT = Duration.ofSeconds(60);

    private final List<Server> servers;
    private final Target target;
    private final Optional<ProcessTreeCpu> treeCpu = ProcessTreeCpu.onThisMachine();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, Double> lastCpu = new HashMap<>();
    private final Map<Long, Double> lastTreeCpu = new HashMap<>();

    public ServerSampler(Target target) {
        this.servers = target.servers();
        this.target = target;
    }

    /** Why the processes' CPU is not read from {@code /proc}; empty when it is. */
    public Optional<String> processCpuUnavailable() {
        if (treeCpu.isEmpty()) {
            return Optional.of("no /proc on this machine: process CPU is read on Linux only");
        }
        if (target.processes().isEmpty()) {
            return Optional.of("the servers run elsewhere (--url): their processes cannot be read from here");
        }
        return Optional.empty();
    }

    /** What the servers said just now; CPU is what they used since the previous call. */
    public Reading read() {
        Map<Server, CompletableFuture<Optional<Metrics>>> pending = new LinkedHashMap<>();
        for (Server server : servers) {
            if (!server.knownDead()) {
                pending.put(server, scrape(server));
            }
        }
        double cpu = 0;
        Double heap = null;
        Integer connected = null;
        Map<String, Integer> live = new LinkedHashMap<>();
        for (Map.Entry<Server, CompletableFuture<Optional<Metrics>>> entry : pending.entrySet()) {
            Optional<Metrics> answered = entry.getValue().join();
            if (answered.isEmpty()) {
                continue;
            }
            Metrics m = answered.get();
            String name = entry.getKey().name();
            if (m.cpuSeconds != null) {
                Double before = lastCpu.put(name, m.cpuSeconds);
                cpu += before == null || m.cpuSeconds < before ? 0 : m.cpuSeconds - before;
            }
            if (m.heapBytes != null) {
                heap = (heap == null ? 0 : heap) + m.heapBytes;
            }
            if (m.connected != null) {
                connected = (connected == null ? 0 : connected) + m.connected;
            }
            if (m.liveMatches != null) {
                live.put(name, m.liveMatches);
            }
        }
        return new Reading(cpu, heap, connected, live, readProcesses());
    }

    /**
     * CPU of each part since the previous call, per process tree: a tree seen for the first time is the
     * baseline for the next reading, and one that is gone (a killed node) is left out.
     */
    private ProcessesCpu readProcesses() {
        Optional<Target.Processes> processes = target.processes();
        if (treeCpu.isEmpty() || processes.isEmpty()) {
            return null;
        }
        Target.Processes parts = processes.get();
        List<Long> roots = Stream.concat(parts.nodes().stream(),
            Stream.of(parts.postgres(), parts.redis()).flatMap(pid -> pid.stream().boxed())).toList();
        Map<Long, Double> now = treeCpu.get().secondsByRoot(roots);
        Map<Long, Double> used = new HashMap<>();
        now.forEach((root, seconds) -> {
            Double before = lastTreeCpu.get(root);
            used.put(root, before == null || seconds < before ? 0 : seconds - before);
            // A tree can read lower for a moment (a child exited, not yet reaped into its parent's
            // times); keeping the higher baseline keeps that child from being counted twice once it is.
            lastTreeCpu.put(root, before == null ? seconds : Math.max(before, seconds));
        });
        // Roots not read this time keep their baseline; the parts the deployment no longer has go.
        lastTreeCpu.keySet().retainAll(roots);
        return new ProcessesCpu(parts.nodes().stream().mapToDouble(pid -> used.getOrDefault(pid, 0.0)).sum(),
            usedBy(parts.postgres(), used), usedBy(parts.redis(), used));
    }

    private static Double usedBy(OptionalLong root, Map<Long, Double> used) {
        return root.isPresent() ? used.get(root.getAsLong()) : null;
    }

    /** Whether every server runs here and the JDK has {@code jcmd}, so a full GC can be forced. */
    public boolean canCollectGarbage() {
        return !servers.isEmpty() && servers.stream().allMatch(s -> s.pid().isPresent()) && Files.isExecutable(jcmd());
    }

    /** {@code jcmd <pid> GC.run} on every live server, waiting for each. */
    public void collectGarbage() {
        for (Server server : servers) {
            if (server.pid().isEmpty() || server.knownDead()) {
                continue;
            }
            try {
                Process jcmd = new ProcessBuilder(jcmd().toString(), Long.toString(server.pid().getAsLong()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!jcmd.waitFor(GC_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    jcmd.destroyForcibly();
                }
            } catch (IOException e) {
                System.err.println("cannot run jcmd GC.run on " + server.name() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Path jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    private CompletableFuture<Optional<Metrics>> scrape(Server server) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).timeout(TIMEOUT).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
            .thenApply(response -> response.statusCode() == 200 ? Optional.of(Metrics.parse(response.body())) : Optional.<Metrics>empty())
            .exceptionally(e -> Optional.empty());
    }

    /**
     * One reading over all servers.
     *
     * @param cpuSeconds  CPU the servers used since the previous reading (100 % of one core for one second = 1.0)
     * @param heapBytes   heap in use, summed; null when no server said
     * @param connected   open player sockets, summed; null when no server said
     * @param liveMatches live matches per server name, for the servers that run matches
     * @param processes   the same servers' CPU and the stores', read from {@code /proc}; null when not read here
     */
    public record Reading(double cpuSeconds, Double heapBytes, Integer connected, Map<String, Integer> liveMatches,
                          ProcessesCpu processes) {
    }

    /**
     * CPU seconds since the previous reading, from {@code /proc}, of each process tree a production
     * deployment would run too (100 % of one core for one second = 1.0).
     *
     * @param nodesSeconds    the node JVMs (or the echo server)
     * @param postgresSeconds the postmaster and its backends; null when there is none or its pid is unknown
     * @param redisSeconds    the redis-server; null when there is none or its pid is unknown
     */
    public record ProcessesCpu(double nodesSeconds, Double postgresSeconds, Double redisSeconds) {
        /** Everything the players' traffic cost: nodes, PostgreSQL and Redis. */
        public double allInSeconds() {
            return nodesSeconds + (postgresSeconds == null ? 0 : postgresSeconds) + (redisSeconds == null ? 0 : redisSeconds);
        }
    }

    /** The few series the harness reads from one server's Prometheus text. */
    record Metrics(Double cpuSeconds, Double heapBytes, Integer connected, Integer liveMatches) {
        static Metrics parse(String text) {
            Double cpu = null;
            Double heap = null;
            Integer connected = null;
            Integer live = null;
            for (String line : text.split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                int brace = line.indexOf('{');
                String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
                double value;
                try {
                    value = Double.parseDouble(line.substring(space + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
                switch (name) {
                    case CPU -> cpu = value;
                    case HEAP -> heap = line.contains("area=\"heap\"") ? (heap == null ? 0 : heap) + value : heap;
                    case CONNECTED -> connected = (int) value;
                    case LIVE_MATCHES -> live = (int) value;
                    default -> { }
                }
            }
            return new Metrics(cpu, heap, connected, live);
        }
    }
}
