package org.quizengine.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.quizengine.bench.audit.StoreAudit;
import org.quizengine.bench.chaos.ChaosReport;
import org.quizengine.bench.chaos.Fault;
import org.quizengine.bench.chaos.Observations;
import org.quizengine.bench.chaos.ResultWatch;
import org.quizengine.bench.load.Histograms;
import org.quizengine.bench.load.ProcessCpu;
import org.quizengine.bench.load.WorkerConfig;
import org.quizengine.bench.load.WorkerProcess;
import org.quizengine.bench.servers.ChaosNodes;
import org.quizengine.bench.servers.LocalNodes;
import org.quizengine.bench.servers.ServerSampler;
import org.quizengine.bench.servers.Target;

/**
 * One benchmark run, coordinated from here: it starts the load workers, steers how many players
 * play, reads every worker and every server once a second, runs the scenario (a steady load, a ramp,
 * a kill), stops the players, audits the stores and assembles the report.
 */
final class Run {
    static final double CONNECTED_ENOUGH = 0.98;
    private static final int SETTLE_SECONDS = 5;
    private static final Duration AUDIT_SETTLE = Duration.ofSeconds(60);
    private static final Duration NO_LIVE_MATCHES_WAIT = Duration.ofSeconds(120);
    private static final String PASSWORD = "bench-player-password";

    private final BenchOptions options;
    private final Target target;
    private final ServerSampler sampler;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final List<Second> seconds = new ArrayList<>();
    private final JsonArray events = new JsonArray();
    private final Map<Integer, Long> workerCpuNanos = new HashMap<>();
    private final Map<Integer, JsonObject> latestTicks = new HashMap<>();
    private final long startNanos = System.nanoTime();
    private long nextReadingNanos = startNanos + TimeUnit.SECONDS.toNanos(1);
    private final Instant startedAt = Instant.now();
    private ServerSampler.Reading lastReading;
    // The chaos scenario's: what players and stores showed, the faults caused, the result watch.
    private final Observations observations = new Observations();
    private List<Fault> faults = List.of();
    private Vertx watchVertx;
    private StoreAudit watchStores;
    private ResultWatch watch;

    Run(BenchOptions options, Target target) {
        this.options = options;
        this.target = target;
        this.sampler = new ServerSampler(target);
    }

    /** Runs the scenario and returns the report; the target is left to the caller to stop. */
    JsonObject execute() {
        createDirectories(options.outDir());
        Double baselineHeap = heapAfterGc();
        sampler.read(); // the first CPU reading is the baseline for the next
        startWorkers();
        JsonObject report = new JsonObject();
        try {
            if (options.scenario().ramps()) {
                ramp(report);
            } else {
                steady(report, baselineHeap);
            }
        } finally {
            finish(report);
        }
        report.put("summary", report.getJsonObject("summary", new JsonObject())
            .put("generatorWorkers", workers.size()));
        return report;
    }

    // --- scenarios ---

    private void steady(JsonObject report, Double baselineHeap) {
        setPlayers(options.players());
        boolean warm = warmUp(options.players());
        int from = seconds.size();
        if (options.scenario() == Scenario.FAILOVER) {
            collect(options.killAfterSeconds());
            report.put("failoverKill", killBusiestNode());
            collect(Math.max(0, options.durationSeconds() - options.killAfterSeconds()));
        } else if (options.scenario() == Scenario.CHAOS) {
            faults = chaos();
        } else {
            collect(options.durationSeconds());
        }
        List<Second> measured = seconds.subList(from, seconds.size());
        Window window = new Window(measured);
        JsonObject summary = summarize(window, sampler.processCpuUnavailable())
            .put("playersWanted", options.players()).put("warmedUp", warm);
        putHeapPerPlayer(summary, window, baselineHeap);
        report.put("summary", summary).put("latency", window.latency()).put("errors", new JsonObject(new HashMap<>(window.errors())));
        if (options.scenario() == Scenario.CLUSTER) {
            report.put("ackP99Windows", LatencyWindows.of(measured.stream().map(s -> s.ack).toList()).toJson());
        }
    }

    private void ramp(JsonObject report) {
        List<JsonObject> steps = new ArrayList<>();
        Double baselineHeap = heapAfterGc();
        Window bestWindow = null;
        Window lastWindow = null;
        for (int level : options.rampLevels()) {
            setPlayers(level);
            boolean warm = warmUp(level);
            collect(SETTLE_SECONDS);
            int from = seconds.size();
            collect(options.stepSeconds());
            Window window = new Window(seconds.subList(from, seconds.size()));
            lastWindow = window;
            JsonObject step = summarize(window, sampler.processCpuUnavailable()).put("players", level).put("warmedUp", warm);
            putHeapPerPlayer(step, window, baselineHeap);
            boolean passed = RampSteps.passed(step, options.limitMillis());
            step.put("passed", passed);
            steps.add(step);
            System.out.printf("step %d players: %s%n", level, passed ? "passed" : "FAILED (" + RampSteps.whyFailed(step) + ")");
            if (!passed) {
                break;
            }
            bestWindow = window;
        }
        Window shown = bestWindow != null ? bestWindow : lastWindow;
        report.put("summary", RampSteps.summary(steps, options.limitMillis())).put("steps", new JsonArray(steps))
            .put("latency", shown == null ? new JsonObject() : shown.latency())
            .put("errors", shown == null ? new JsonObject() : new JsonObject(new HashMap<>(shown.errors())));
    }

    /** Waits (recording) until nearly every wanted player is connected and most are in a match. */
    private boolean warmUp(int players) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
        while (System.nanoTime() < deadline) {
            Second s = collectOne();
            boolean playing = options.scenario() == Scenario.ECHO || s.inMatch >= players / 2;
            if (s.connected >= CONNECTED_ENOUGH * players && playing) {
                return true;
            }
        }
        return false;
    }

    /** The faults, one after another, with the result watch running from the first store outage to the audit. */
    private List<Fault> chaos() {
        if (!(target instanceof ChaosNodes nodes)) {
            throw new IllegalStateException("the chaos scenario faults nodes and stores the harness started; do not give --url");
        }
        Target.StoreUris uris = target.stores().orElseThrow();
        watchVertx = Vertx.vertx();
        watchStores = new StoreAudit(watchVertx, uris.postgres(), uris.redis());
        watch = new ResultWatch(watchVertx, watchStores);
        ChaosRun.Pace pace = new ChaosRun.Pace() {
            @Override
            public void collect(int count) {
                collectFor(count);
            }

            @Override
            public Map<String, Integer> liveMatches() {
                return lastReading == null ? Map.of() : lastReading.liveMatches();
            }

            @Override
            public void mark(JsonObject command) {
                workers.forEach(w -> w.send(command));
            }

            @Override
            public void event(String label) {
                events.add(new JsonObject().put("t", Math.round(elapsedSeconds() * 10) / 10.0).put("label", label));
            }
        };
        return new ChaosRun(options, nodes, pace, watch).run();
    }

    private JsonObject killBusiestNode() {
        if (!(target instanceof LocalNodes nodes)) {
            throw new IllegalStateException("the failover scenario kills a node the harness started; do not give --url");
        }
        Map<String, Integer> live = lastReading.liveMatches();
        String busiest = live.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
            .orElseThrow(() -> new IllegalStateException("no node reports live matches"));
        int index = Integer.parseInt(busiest.substring("node-".length())) - 1;
        long at = System.currentTimeMillis();
        nodes.kill(index);
        workers.forEach(w -> w.send(new JsonObject().put("cmd", "mark").put("at", at)));
        double t = elapsedSeconds();
        events.add(new JsonObject().put("t", Math.round(t * 10) / 10.0).put("label", "kill -9 " + busiest));
        System.out.printf("t=%.1fs killed %s (%d live matches)%n", t, busiest, live.get(busiest));
        return new JsonObject().put("node", busiest).put("liveMatchesOnIt", live.get(busiest)).put("t", t);
    }

    // --- measuring ---

    private void collect(int count) {
        for (int i = 0; i < count; i++) {
            collectOne();
        }
    }

    /** Records readings until {@code count} seconds of wall-clock time have passed, however long each reading took. */
    private void collectFor(int count) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(count);
        while (System.nanoTime() < until) {
            collectOne();
        }
    }

    /**
     * Waits for the next whole second of the run, then reads every worker and server. A reading that
     * overran (a frozen server answers no scrape for 2 s) delays the next one rather than causing a
     * burst of catch-up readings.
     */
    private Second collectOne() {
        sleepNanos(nextReadingNanos - System.nanoTime());
        nextReadingNanos = Math.max(nextReadingNanos, System.nanoTime()) + TimeUnit.SECONDS.toNanos(1);
        Second second = new Second(elapsedSeconds());
        long ownCpu = ProcessCpu.nanos();
        for (WorkerProcess worker : workers) {
            for (JsonObject tick : worker.drainTicks()) {
                second.add(tick, Histograms.decode(tick.getString("ack")), Histograms.decode(tick.getString("lateness")));
                long cpu = tick.getLong("cpuNanos");
                Long before = workerCpuNanos.put(worker.config().worker(), cpu);
                second.generatorCpuSeconds += before == null ? 0 : (cpu - before) / 1e9;
                latestTicks.put(worker.config().worker(), tick);
                tick.getJsonObject("finished", new JsonObject()).forEach(e -> finishedSeen(UUID.fromString(e.getKey()), ((Number) e.getValue()).longValue()));
            }
        }
        latestTicks.values().forEach(second::addGauges);
        Long ownBefore = workerCpuNanos.put(-1, ownCpu);
        second.generatorCpuSeconds += ownBefore == null ? 0 : (ownCpu - ownBefore) / 1e9;
        lastReading = sampler.read();
        second.serverCpuSeconds = lastReading.cpuSeconds();
        second.processCpu = lastReading.processes();
        second.serverHeapBytes = lastReading.heapBytes();
        second.serverConnected = lastReading.connected();
        second.liveMatches = lastReading.liveMatches().isEmpty() ? null
            : lastReading.liveMatches().values().stream().mapToInt(Integer::intValue).sum();
        seconds.add(second);
        if (seconds.size() % 5 == 0) {
            printProgress(second);
        }
        return second;
    }

    private void finishedSeen(UUID matchId, long atMillis) {
        observations.finished(matchId, atMillis);
        if (watch != null) {
            watch.finished(matchId, atMillis);
        }
    }

    private void printProgress(Second s) {
        JsonObject row = s.toJson();
        System.out.printf("t=%5.0fs players %6d in match %6d live %5s  answers/s %6d  ack p50 %6s p99 %6s ms  late p99 %6s ms  cpu srv %5.1f%% all-in %5s%% gen %5.1f%%  heap %7s MB  errors %d%n",
            s.t, s.connected, s.inMatch, row.getValue("liveMatches"), s.answersAcked, row.getValue("ackP50Ms"),
            row.getValue("ackP99Ms"), row.getValue("lateP99Ms"), row.getDouble("serverCpuPct"), row.getValue("allInCpuPct"),
            row.getDouble("generatorCpuPct"), row.getValue("serverHeapMb"), s.errorCount());
    }

    /**
     * The figures of a steady run's measured part or of a ramp step. Server CPU is the nodes' own metric;
     * all-in CPU adds PostgreSQL and Redis, all read from {@code /proc}, and says why when it cannot be read.
     */
    static JsonObject summarize(Window w, Optional<String> processCpuUnavailable) {
        JsonObject summary = new JsonObject()
            .put("seconds", w.lengthSeconds())
            .put("playersMin", w.minConnected()).put("playersMax", w.maxConnected())
            .put("answers", w.answers())
            .put("answersPerSec", Window.round(w.answersPerSecond()))
            .put("ackP99Ms", w.ackP99Millis())
            .put("errors", w.errorCount())
            .put("reconnects", w.sum(s -> s.reconnects)).put("drops", w.sum(s -> s.drops))
            .put("connectFailures", w.sum(s -> s.connectFailures)).put("signInFailures", w.sum(s -> s.signInFailures))
            .put("serverCpuPct", w.cpuPercent(w.serverCpuSeconds()))
            .put("allInCpuPct", w.cpuPercent(w.allInCpuSeconds()))
            .put("postgresCpuPct", w.cpuPercent(w.postgresCpuSeconds()))
            .put("redisCpuPct", w.cpuPercent(w.redisCpuSeconds()))
            .put("serverCpuMicrosPerAnswer", w.microsPerAnswer(w.serverCpuSeconds()))
            .put("allInCpuMicrosPerAnswer", w.microsPerAnswer(w.allInCpuSeconds()))
            .put("postgresCpuMicrosPerAnswer", w.microsPerAnswer(w.postgresCpuSeconds()))
            .put("redisCpuMicrosPerAnswer", w.microsPerAnswer(w.redisCpuSeconds()))
            .put("generatorCpuPct", w.cpuPercent(w.generatorCpuSeconds()));
        processCpuUnavailable.ifPresent(why -> summary.put("allInCpuUnavailable", why));
        return summary;
    }

    /**
     * Heap per connected player: with local nodes, a forced full GC while the players are still
     * connected, against the same before any player came; elsewhere, the lowest heap reading of the
     * window (an upper bound: it still holds garbage).
     */
    private void putHeapPerPlayer(JsonObject summary, Window window, Double baselineHeap) {
        int players = window.minConnected();
        Double heap = heapAfterGc();
        String method = "after a forced full GC (jcmd GC.run), minus the same before any player connected";
        if (heap == null) {
            heap = window.minHeapBytes();
            method = "lowest heap reading of the window (includes garbage), minus nothing";
            baselineHeap = 0.0;
        }
        if (heap == null || players == 0 || baselineHeap == null) {
            return;
        }
        summary.put("serverHeapMb", Window.round(heap / 1024 / 1024))
            .put("heapPerPlayerKb", Window.round((heap - baselineHeap) / players / 1024))
            .put("heapMethod", method);
    }

    private Double heapAfterGc() {
        if (!sampler.canCollectGarbage()) {
            return null;
        }
        sampler.collectGarbage();
        return sampler.read().heapBytes();
    }

    // --- workers ---

    private void startWorkers() {
        int peak = options.peakPlayers();
        int count = Math.max(1, (int) Math.ceil(peak / (double) options.playersPerWorker()));
        int perWorker = (int) Math.ceil(peak / (double) count);
        // Whole matches per worker, so lobby groups never straddle two workers.
        perWorker = (int) Math.ceil(perWorker / (double) options.matchSize()) * options.matchSize();
        String prefix = "b" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        for (int i = 0; i < count; i++) {
            WorkerConfig config = new WorkerConfig(i, i * perWorker, perWorker, target.urls(),
                options.scenario() == Scenario.ECHO, prefix, PASSWORD, options.matchSize(), options.lobbyShare(),
                options.thinkMinMillis(), options.thinkMaxMillis(), options.accuracy(), options.dropShare(),
                Math.max(1, options.connectPerSecond() / count), options.echoIntervalMillis(), options.livenessMillis());
            workers.add(WorkerProcess.start(config, options.workerJvmOptions(), options.outDir().resolve("worker-" + i + ".log")));
        }
    }

    /** Spreads {@code total} players over the workers, in whole matches' worth. */
    private void setPlayers(int total) {
        int remaining = total;
        for (int i = 0; i < workers.size(); i++) {
            int share = (int) Math.ceil(remaining / (double) (workers.size() - i));
            share = Math.min(workers.get(i).config().capacity(), share);
            workers.get(i).send(new JsonObject().put("cmd", "players").put("count", share));
            remaining -= share;
        }
    }

    private void finish(JsonObject report) {
        Map<UUID, Integer> acknowledged = new HashMap<>();
        Set<UUID> users = new HashSet<>();
        List<Long> recovery = new ArrayList<>();
        int marked = 0;
        FramesReceived frames = new FramesReceived();
        // Players finish the match they are in (a whole match at most, plus time to reconnect), so the
        // audit accounts for every match they were in; then the stores are left to settle.
        long graceMillis = options.scenario() == Scenario.ECHO ? 0 : (long) options.questions() * options.questionMillis() + 10_000;
        System.out.printf("stopping: players finish their matches (up to %d s)%n", graceMillis / 1000);
        long stopping = System.nanoTime();
        workers.forEach(worker -> worker.requestStop(graceMillis));
        for (WorkerProcess worker : workers) {
            JsonObject last = worker.awaitFinal(graceMillis + 30_000).orElse(null);
            if (last == null) {
                report.put("incomplete", "worker " + worker.config().worker() + " sent no final report");
                continue;
            }
            last.getJsonObject("finishedMatches").forEach(e ->
                acknowledged.merge(UUID.fromString(e.getKey()), ((Number) e.getValue()).intValue(), Integer::sum));
            last.getJsonArray("users").forEach(u -> users.add(UUID.fromString((String) u)));
            last.getJsonArray("recoveryMillis").forEach(ms -> recovery.add(((Number) ms).longValue()));
            marked += last.getInteger("markedPlayers");
            frames.add(last.getJsonObject("framesReceived"));
            observe(last);
        }
        workers.forEach(WorkerProcess::close);
        report.put("stopSeconds", Window.round((System.nanoTime() - stopping) / 1e9));
        if (options.scenario() != Scenario.ECHO) {
            report.put("liveMatchesLeftSeconds", awaitNoLiveMatches(NO_LIVE_MATCHES_WAIT));
        }
        report.put("matchesFinished", acknowledged.size());
        report.put("framesReceived", frames.toJson());
        if (report.containsKey("failoverKill")) {
            report.put("failover", failover(report.getJsonObject("failoverKill"), recovery, marked));
        }
        report.put("audit", audit(acknowledged, users));
        if (options.scenario() == Scenario.CHAOS) {
            report.put("chaos", chaosReport(report.getJsonObject("audit")));
        }
        report.put("events", events);
        report.put("timeline", new JsonArray(seconds.stream().map(Second::toJson).toList()));
        report.put("startedAt", startedAt.toString()).put("durationSeconds", Window.round(elapsedSeconds()));
    }

    /** What a worker's players reported at the end about the chaos faults. */
    private void observe(JsonObject last) {
        last.getJsonObject("markedByFault", new JsonObject()).forEach(e -> observations.marked(e.getKey(), ((Number) e.getValue()).intValue()));
        last.getJsonObject("recoveryMillisByFault", new JsonObject()).forEach(e -> ((JsonArray) e.getValue())
            .forEach(ms -> observations.recovered(e.getKey(), ((Number) ms).longValue())));
        last.getJsonArray("lostMatches", new JsonArray()).stream().map(JsonObject.class::cast).forEach(lost -> observations.lost(
            new Observations.LostMatch(UUID.fromString(lost.getString("matchId")), lost.getLong("at"), lost.getString("fault"),
                lost.getJsonArray("trace"))));
        last.getJsonObject("slowRecoveries", new JsonObject()).forEach(e -> ((JsonArray) e.getValue()).stream()
            .map(JsonObject.class::cast).forEach(slow -> observations.slowRecovery(e.getKey(), slow)));
        observations.socketsGivenUp(last.getInteger("socketsGivenUp", 0));
    }

    /** Per fault and per target, from what players, seconds, the result watch and the audit saw. */
    private JsonObject chaosReport(JsonObject audit) {
        if (watch != null) {
            watch.stop();
            watch.landedAt().forEach(observations::stored);
            // A match whose every player missed its end is known to have ended only by its stored result.
            try {
                watchStores.finishedAt(observations.toldNoMatchFor()).await(30, TimeUnit.SECONDS).forEach(observations::ended);
            } catch (Exception e) {
                System.out.println("chaos: the end times of matches players were told no_match for could not be read: "
                    + e.getMessage() + "; those count as told while their match lived");
            }
            watchStores.close();
            watchVertx.close();
        }
        long start = startedAt.toEpochMilli();
        seconds.forEach(s -> observations.errors(start + Math.round(s.t * 1000), s.errors));
        observations.audited(ids(audit.getJsonArray("lostMatchIds")), ids(audit.getJsonArray("duplicatedMatchIds")));
        return ChaosReport.of(faults, observations);
    }

    private static Set<UUID> ids(JsonArray ids) {
        Set<UUID> set = new HashSet<>();
        if (ids != null) {
            ids.forEach(id -> set.add(UUID.fromString((String) id)));
        }
        return set;
    }

    /**
     * Waits until no node reports a live match (a finished one lingers 10 s), so that no result is
     * still on its way to the stores while the audit reads them. Returns how long that took.
     */
    private double awaitNoLiveMatches(Duration max) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < max.toNanos()) {
            int live = sampler.read().liveMatches().values().stream().mapToInt(Integer::intValue).sum();
            if (live == 0) {
                break;
            }
            sleepNanos(TimeUnit.SECONDS.toNanos(1));
        }
        return Window.round((System.nanoTime() - start) / 1e9);
    }

    private static JsonObject failover(JsonObject kill, List<Long> recovery, int marked) {
        Histogram h = new Histogram(Second.HIGHEST_MICROS, 3);
        recovery.forEach(ms -> h.recordValue(Math.min(Second.HIGHEST_MICROS, ms * 1000)));
        long within10s = recovery.stream().filter(ms -> ms <= 10_000).count();
        return kill.copy()
            .put("playersInMatchAtKill", marked)
            .put("playersPlayingAgain", recovery.size())
            .put("playersPlayingAgainWithin10s", within10s)
            .put("timeToPlayAgainMs", Window.percentiles(h));
    }

    private JsonObject audit(Map<UUID, Integer> acknowledged, Set<UUID> users) {
        if (options.scenario() == Scenario.ECHO) {
            return new JsonObject().put("skipped", "the echo server stores nothing");
        }
        if (target.stores().isEmpty()) {
            return new JsonObject().put("skipped", "store URIs unknown: pass --postgres and --redis with --url to audit");
        }
        Target.StoreUris uris = target.stores().get();
        Vertx vertx = Vertx.vertx();
        StoreAudit audit = new StoreAudit(vertx, uris.postgres(), uris.redis());
        try {
            return audit.run(acknowledged, users, AUDIT_SETTLE).await(AUDIT_SETTLE.toSeconds() + 120, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new JsonObject().put("failed", "the audit could not run: " + e.getMessage());
        } finally {
            audit.close();
            vertx.close();
        }
    }

    // --- small things ---

    private double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
