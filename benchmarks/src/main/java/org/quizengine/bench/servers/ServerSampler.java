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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.quizengine.engine.metrics.NodeMetrics;

/**
 * Reads every server's Prometheus metrics ({@code GET /metrics}): CPU used since the last reading,
 * heap in use, connected players and live matches. A server that does not answer (killed, or slow
 * beyond two seconds) is left out of that reading rather than stopping the run.
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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, Double> lastCpu = new HashMap<>();

    public ServerSampler(List<Server> servers) {
        this.servers = servers;
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
        return new Reading(cpu, heap, connected, live);
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
     */
    public record Reading(double cpuSeconds, Double heapBytes, Integer connected, Map<String, Integer> liveMatches) {
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
