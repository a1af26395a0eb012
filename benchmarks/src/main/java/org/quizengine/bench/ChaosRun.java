package org.quizengine.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.quizengine.bench.chaos.ChaosReport;
import org.quizengine.bench.chaos.Fault;
import org.quizengine.bench.chaos.ResultWatch;
import org.quizengine.bench.servers.ChaosNodes;
import org.quizengine.engine.local.TcpProxy;

/**
 * The chaos scenario's schedule, under a steady load: a baseline gap, then each fault in turn with a
 * recovery gap after it: kill -9 of the busiest node (a replacement starts in its slot half-way
 * through the gap, as an operator would), SIGSTOP of the busiest other node for a while, PostgreSQL
 * cut, Redis cut. Before each fault every slot runs a node again. The players a node fault touches are
 * those whose socket was on it or whose match it ran; a store outage touches everyone in a match.
 */
final class ChaosRun {
    /** How the schedule measures while it waits, and tells the players of a fault. */
    interface Pace {
        /** Records {@code seconds} seconds of the run (wall-clock), about one reading a second. */
        void collect(int seconds);

        /** Live matches per server name ({@code node-1..N} by slot), as last read. */
        Map<String, Integer> liveMatches();

        /** Sends a {@code mark} command to every worker. */
        void mark(JsonObject command);

        /** A labelled moment on the report's timeline. */
        void event(String label);
    }

    private record Caused(String name, Fault.Kind kind, String label, long startMillis, long recoveredMillis, JsonObject details) {
    }

    /** A node's max-no-heartbeat when the run does not set one (config/application.json). */
    private static final int NODE_DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 5;

    private final BenchOptions options;
    private final ChaosNodes nodes;
    private final Pace pace;
    private final ResultWatch watch;
    private final List<Caused> caused = new ArrayList<>();
    private int lastKilledSlot = -1;

    ChaosRun(BenchOptions options, ChaosNodes nodes, Pace pace, ResultWatch watch) {
        this.options = options;
        this.nodes = nodes;
        this.pace = pace;
        this.watch = watch;
    }

    /** Runs every fault with its gap; returns them, each answerable until the next began (the last until now). */
    List<Fault> run() {
        pace.collect(options.gapSeconds());
        for (Fault.Kind kind : options.faults()) {
            replaceDeadNodes();
            switch (kind) {
                case KILL -> kill();
                case FREEZE -> freeze();
                case POSTGRES -> outage(kind, "PostgreSQL", nodes.postgres());
                case REDIS -> outage(kind, "Redis", nodes.redis());
            }
        }
        long end = System.currentTimeMillis();
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < caused.size(); i++) {
            Caused c = caused.get(i);
            long windowEnd = i + 1 < caused.size() ? caused.get(i + 1).startMillis() : end;
            faults.add(new Fault(c.name(), c.kind(), c.label(), c.startMillis(), c.recoveredMillis(), windowEnd, c.details()));
        }
        return faults;
    }

    private String nextName(Fault.Kind kind) {
        long before = caused.stream().filter(c -> c.kind() == kind).count();
        return kind.id() + (before == 0 ? "" : "-" + (before + 1));
    }

    private void kill() {
        int slot = busiest(-1);
        String victim = nodes.nodeId(slot);
        JsonArray owned = matchesOf(victim);
        int live = pace.liveMatches().getOrDefault("node-" + (slot + 1), 0);
        long at = System.currentTimeMillis();
        nodes.kill(slot);
        markTouched(nextName(Fault.Kind.KILL), at, nodes.url(slot), owned);
        lastKilledSlot = slot;
        pace.event("kill -9 " + victim);
        System.out.printf("chaos: kill -9 %s (%d live matches, %d in the replicated map)%n", victim, live, owned.size());
        pace.collect(options.gapSeconds() / 2);
        long replacing = System.currentTimeMillis();
        CompletableFuture<String> replacement = CompletableFuture.supplyAsync(() -> nodes.replace(slot));
        while (!replacement.isDone()) {
            pace.collect(1);
        }
        JsonObject details = new JsonObject().put("node", victim).put("liveMatchesOnIt", live).put("matchesItRan", owned.size());
        try {
            String started = replacement.join();
            double ready = (System.currentTimeMillis() - replacing) / 1000.0;
            details.put("replacement", started).put("replacementReadySeconds", ready);
            pace.event(started + " ready in its place");
        } catch (RuntimeException e) {
            details.put("replacementFailed", firstLine(e));
            System.err.println("chaos: the replacement node did not start: " + e.getMessage());
        }
        caused.add(new Caused(nextName(Fault.Kind.KILL), Fault.Kind.KILL, "kill -9 " + victim, at, at, details));
        pace.collect(options.gapSeconds() - options.gapSeconds() / 2);
    }

    private void freeze() {
        int slot = busiest(lastKilledSlot);
        String victim = nodes.nodeId(slot);
        JsonArray owned = matchesOf(victim);
        int live = pace.liveMatches().getOrDefault("node-" + (slot + 1), 0);
        long at = System.currentTimeMillis();
        nodes.freeze(slot);
        markTouched(nextName(Fault.Kind.FREEZE), at, nodes.url(slot), owned);
        pace.event("SIGSTOP " + victim);
        System.out.printf("chaos: SIGSTOP %s for %d s (%d live matches)%n", victim, options.freezeSeconds(), live);
        long thawed = after(options.freezeSeconds(), () -> nodes.thaw(slot));
        pace.event("SIGCONT " + victim);
        caused.add(new Caused(nextName(Fault.Kind.FREEZE), Fault.Kind.FREEZE, "SIGSTOP " + victim + " for " + options.freezeSeconds() + " s", at, thawed,
            new JsonObject().put("node", victim).put("liveMatchesOnIt", live).put("matchesItRan", owned.size())
                .put(ChaosReport.DETECTION_MILLIS, 1_000L * (options.heartbeatTimeoutSeconds() > 0
                    ? options.heartbeatTimeoutSeconds() : NODE_DEFAULT_HEARTBEAT_TIMEOUT_SECONDS))));
        pace.collect(options.gapSeconds());
    }

    private void outage(Fault.Kind kind, String store, TcpProxy proxy) {
        long at = System.currentTimeMillis();
        watch.outageStarted(at);
        proxy.stop();
        markTouched(nextName(kind), at, null, null);
        pace.event(store + " cut");
        System.out.printf("chaos: %s cut for %d s%n", store, options.outageSeconds());
        long back = after(options.outageSeconds(), proxy::start);
        watch.outageEnded(back);
        pace.event(store + " back");
        caused.add(new Caused(nextName(kind), kind, store + " cut for " + options.outageSeconds() + " s", at, back, new JsonObject()));
        pace.collect(options.gapSeconds());
    }

    /**
     * Ends a fault {@code seconds} from now on a timer of its own (a reading may take two seconds
     * while a node is frozen), measuring meanwhile; returns when it ended.
     */
    private long after(int seconds, Runnable end) {
        CompletableFuture<Long> ended = new CompletableFuture<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.schedule(() -> {
            try {
                end.run();
                ended.complete(System.currentTimeMillis());
            } catch (RuntimeException e) {
                ended.completeExceptionally(e);
            }
        }, seconds, TimeUnit.SECONDS);
        while (!ended.isDone()) {
            pace.collect(1);
        }
        timer.shutdown();
        return ended.join();
    }

    /** Tells the workers: the players in a match this fault touches time how long until they play again. */
    private void markTouched(String fault, long at, String nodeUrl, JsonArray matches) {
        pace.mark(new JsonObject().put("cmd", "mark").put("at", at).put("fault", fault)
            .put("node", nodeUrl).put("matches", matches));
    }

    private JsonArray matchesOf(String nodeId) {
        return new JsonArray(nodes.ownerByMatch().entrySet().stream()
            .filter(e -> nodeId.equals(e.getValue())).map(Map.Entry::getKey).toList());
    }

    /** The live slot running the most matches, {@code except} one (-1: none). */
    private int busiest(int except) {
        Map<String, Integer> live = pace.liveMatches();
        return IntStream.range(0, nodes.size()).filter(slot -> slot != except && nodes.alive(slot)).boxed()
            .max((a, b) -> Integer.compare(live.getOrDefault("node-" + (a + 1), 0), live.getOrDefault("node-" + (b + 1), 0)))
            .orElseThrow(() -> new IllegalStateException("no node left to fault"));
    }

    /** A slot whose node died (a kill, or a node that stopped itself after a freeze) gets a new node first. */
    private void replaceDeadNodes() {
        for (int slot = 0; slot < nodes.size(); slot++) {
            if (!nodes.alive(slot)) {
                String gone = nodes.nodeId(slot);
                try {
                    String started = nodes.replace(slot);
                    pace.event(started + " replaces " + gone);
                    System.out.printf("chaos: %s was gone; %s started in its place%n", gone, started);
                } catch (RuntimeException e) {
                    // The next fault meets one node fewer; the report's events say so.
                    pace.event("no node replaces " + gone);
                    System.err.println("chaos: no node could replace " + gone + ": " + e.getMessage());
                }
            }
        }
    }

    private static String firstLine(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
}
