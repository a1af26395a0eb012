package org.quizengine.bench.floor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.quizengine.bench.load.Histograms;
import org.quizengine.bench.servers.ProcessTreeCpu;
import org.quizengine.engine.local.ChildJvm;
import org.quizengine.engine.local.NodeProcess;

/**
 * The floor of issue 10: the CPU per answer of the messaging a clustered answer needs, with no game
 * logic, so that "three nodes at most 1.5x the CPU per answer of one" can be judged reachable or not.
 *
 * <p>Starts {@code --nodes} JVMs ({@link FloorNode}) and has them send {@code --rate} answers a
 * second in all, each to a node picked at random. With more than one node they form a loopback
 * cluster built by the engine's own {@code HazelcastSetup}, and each answer costs the messaging it
 * costs the engine as designed: an event-bus request and reply of about 60 bytes (to another node two times in three), an
 * entry processor on {@code quiz.live-matches} (one synchronous backup, objects in memory) before the
 * reply, and once per 10 answers a 2.8 KB reveal to each other node. One node is plain Vert.x: a
 * local request and reply, nothing else. After {@code --warmup} seconds it measures the nodes' CPU
 * (from /proc) and answers over {@code --seconds}; {@code --idle} sends nothing (the idle cluster).
 *
 * <p>Run from the repository's root after {@code mvn -B -q -o package -DskipTests -pl benchmarks -am}
 * (the jar ./benchmarks/bench runs, which holds every dependency):
 * <pre>
 * java -cp benchmarks/target/quiz-bench.jar org.quizengine.bench.floor.ClusterFloor --nodes 3 --rate 436 --warmup 120 --seconds 60
 * </pre>
 * Three nodes on two cores were still JIT-compiling 80 to 100 s after they started: the results say
 * how much of the window's CPU the compiler threads took, and a window with more than a few percent
 * of it needs a longer {@code --warmup}.
 *
 * <p>Nodes get the harness's node JVM flags with a {@code --heap} heap (512m by default), and this
 * process's environment: {@code QUIZ_*} variables set there reach them (e.g.
 * {@code QUIZ_CLUSTER_IO_THREADS=2}) and are printed with the results.
 */
public final class ClusterFloor {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** What to run: {@code rate} answers a second over {@code nodes} nodes, measured for {@code seconds}. */
    record Options(int nodes, double rate, int warmupSeconds, int seconds, String heap) {
    }

    /**
     * What a run measured: answers completed and failed in the window, the nodes' CPU over it, the
     * answers written to the replicated records in it, and each node's count of records it holds as
     * another member's backup at the end.
     */
    record Result(long completed, long failed, double windowSeconds, double cpuSeconds, long replicated,
                  List<Long> backupEntriesByNode, List<Long> nodePids) {
    }

    private ClusterFloor() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            FloorNode.run(args);
            return;
        }
        run(parse(args), System.out);
    }

    /** Starts the nodes, measures, prints the figures to {@code out}, and stops the nodes. */
    static Result run(Options options, PrintStream out) throws IOException, InterruptedException {
        Path logs = Files.createTempDirectory("cluster-floor");
        List<FloorChild> children = new ArrayList<>();
        try {
            startNodes(options, logs, children);
            return measure(options, children, logs, out);
        } finally {
            for (FloorChild child : children) {
                child.stop(STOP_GRACE);
            }
        }
    }

    private static Options parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--idle")) {
                given.put("rate", "0");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                given.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("usage: ClusterFloor [--nodes 3] [--rate 436 | --idle] [--warmup 120] "
                    + "[--seconds 60] [--heap 512m]; not understood: " + args[i]);
            }
        }
        Options options = new Options(Integer.parseInt(given.getOrDefault("nodes", "3")),
            Double.parseDouble(given.getOrDefault("rate", "436")), Integer.parseInt(given.getOrDefault("warmup", "120")),
            Integer.parseInt(given.getOrDefault("seconds", "60")), given.getOrDefault("heap", "512m"));
        if (options.nodes() < 1 || options.rate() < 0 || options.warmupSeconds() < 0 || options.seconds() < 1) {
            throw new IllegalArgumentException("need --nodes >= 1, --rate >= 0, --warmup >= 0, --seconds >= 1: " + options);
        }
        return options;
    }

    /**
     * As the harness starts local nodes ({@code LocalNodes}): members of a cluster of their own on
     * loopback, every member's port listed, the first started alone so that it is the oldest. Each
     * is added to {@code children} as soon as it runs, so that it is stopped even if another fails.
     */
    private static void startNodes(Options options, Path logs, List<FloorChild> children) throws InterruptedException {
        String cluster = "quiz-floor-" + UUID.randomUUID();
        List<Integer> ports = IntStream.range(0, options.nodes()).mapToObj(i -> NodeProcess.freePort()).toList();
        for (int i = 0; i < options.nodes(); i++) {
            Map<String, String> env = options.nodes() > 1 ? NodeProcess.clusterMember(cluster, ports.get(i), ports) : Map.of();
            children.add(FloorChild.start(i, command(options, i), env, logs.resolve("node-" + i + ".log")));
            if (i == 0) {
                children.get(0).await("ready", READY_TIMEOUT);
            }
        }
        for (FloorChild child : children.subList(1, children.size())) {
            child.await("ready", READY_TIMEOUT);
        }
    }

    private static List<String> command(Options options, int index) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ChildJvm.JVM_OPENS);
        // The harness's node flags (BenchOptions.nodeJvmOptions).
        command.addAll(List.of("-Xms" + options.heap(), "-Xmx" + options.heap(), "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50",
            "-XX:+AlwaysPreTouch"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterFloor.class.getName()));
        command.addAll(List.of("--child", Integer.toString(index), Integer.toString(options.nodes()),
            Double.toString(options.rate() / options.nodes())));
        return command;
    }

    private static Result measure(Options options, List<FloorChild> children, Path logs, PrintStream out)
        throws InterruptedException {
        ProcessTreeCpu cpu = ProcessTreeCpu.onThisMachine().orElseThrow(() -> new IllegalStateException("needs Linux's /proc"));
        List<Long> pids = children.stream().map(FloorChild::pid).toList();
        // Subscriptions reach the other members' caches a moment after each registration completes.
        Thread.sleep(1_000);
        children.forEach(child -> child.send("start"));
        Thread.sleep(options.warmupSeconds() * 1_000L);

        Map<Long, Double> cpuBefore = cpu.secondsByRoot(pids);
        List<Map<Long, Double>> jitBefore = pids.stream().map(CompilerThreads::secondsByThread).toList();
        long windowStart = System.nanoTime();
        children.forEach(child -> child.send("mark"));
        Thread.sleep(options.seconds() * 1_000L);
        Map<Long, Double> cpuAfter = cpu.secondsByRoot(pids);
        List<Map<Long, Double>> jitAfter = pids.stream().map(CompilerThreads::secondsByThread).toList();
        double window = (System.nanoTime() - windowStart) / 1e9;
        children.forEach(child -> child.send("report"));

        List<String[]> reports = new ArrayList<>();
        for (FloorChild child : children) {
            reports.add(child.await("report", REPORT_TIMEOUT).split(" "));
        }
        double jit = IntStream.range(0, pids.size()).mapToDouble(i -> CompilerThreads.between(jitBefore.get(i), jitAfter.get(i))).sum();
        List<Double> cpuSeconds = pids.stream().map(pid -> cpuAfter.get(pid) - cpuBefore.get(pid)).toList();
        out.print(figures(options, window, cpuSeconds, jit, reports, logs));
        return new Result(reports.stream().mapToLong(r -> Long.parseLong(r[1])).sum(),
            reports.stream().mapToLong(r -> Long.parseLong(r[2])).sum(), window,
            cpuSeconds.stream().mapToDouble(Double::doubleValue).sum(), reports.stream().mapToLong(r -> Long.parseLong(r[6])).sum(),
            reports.stream().map(r -> Long.parseLong(r[7])).toList(), pids);
    }

    /** Each report: {@code report <completed> <failed> <handled> <deliveries> <histogram> <replicated> <backup entries>}. */
    private static String figures(Options options, double window, List<Double> cpuSeconds, double jitSeconds,
                                  List<String[]> reports, Path logs) {
        long completed = reports.stream().mapToLong(r -> Long.parseLong(r[1])).sum();
        long failed = reports.stream().mapToLong(r -> Long.parseLong(r[2])).sum();
        Histogram roundTrips = new Histogram(3);
        reports.forEach(r -> roundTrips.add(Histograms.decode(r[5])));
        double totalCpu = cpuSeconds.stream().mapToDouble(Double::doubleValue).sum();

        StringBuilder out = new StringBuilder();
        line(out, "nodes %d (%s), rate %.0f/s, warmup %d s, measured %.1f s", options.nodes(),
            options.nodes() > 1 ? "clustered" : "plain Vert.x", options.rate(), options.warmupSeconds(), window);
        line(out, "QUIZ_* settings: %s", new TreeMap<>(quizSettings()));
        line(out, "ops/s achieved: %.1f (%d ops, %d failed)", completed / window, completed, failed);
        line(out, "CPU total: %.1f %% of one core", 100 * totalCpu / window);
        line(out, "CPU per op: %s", perOp(totalCpu, completed));
        // Compilation still under way inflates both figures: warm up longer if this is more than a few percent.
        line(out, "  of which JIT compiler threads: %.1f %% of one core (%.0f %% of the total); CPU per op without them: %s",
            100 * jitSeconds / window, totalCpu == 0 ? 0 : 100 * jitSeconds / totalCpu, perOp(totalCpu - jitSeconds, completed));
        for (int i = 0; i < reports.size(); i++) {
            String[] r = reports.get(i);
            Histogram own = Histograms.decode(r[5]);
            line(out, "  node %d: CPU %.1f %%, answered %s (replicated %s), reveals received %s, own requests p99 %.2f ms", i,
                100 * cpuSeconds.get(i) / window, r[3], r[6], r[4], own.getValueAtPercentile(99) / 1000.0);
        }
        line(out, "round trip: p50 %.2f ms, p99 %.2f ms, max %.2f ms", roundTrips.getValueAtPercentile(50) / 1000.0,
            roundTrips.getValueAtPercentile(99) / 1000.0, roundTrips.getMaxValue() / 1000.0);
        line(out, "node logs: %s", logs);
        return out.toString();
    }

    private static String perOp(double cpuSeconds, long ops) {
        return ops == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f us", cpuSeconds * 1e6 / ops);
    }

    private static Map<String, String> quizSettings() {
        Map<String, String> settings = new HashMap<>(System.getenv());
        settings.keySet().removeIf(name -> !name.startsWith("QUIZ_"));
        return settings;
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
