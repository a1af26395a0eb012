package org.quizengine.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.quizengine.bench.chaos.Fault;
import org.quizengine.engine.config.ConfigLoader;

/**
 * Everything a run is told, from the scenario's defaults and then the command line
 * ({@code --name value}). Unknown or malformed options stop the harness with a message naming them.
 */
public record BenchOptions(
    Scenario scenario, List<String> command,
    int nodes, List<String> urls, String postgresUri, String redisUri,
    int players, int durationSeconds, int warmupSeconds,
    int startPlayers, int stepPlayers, int stepSeconds, int maxPlayers, double limitMillis,
    int killAfterSeconds,
    int matchSize, int questions, int questionMillis, int thinkMinMillis, int thinkMaxMillis,
    double accuracy, double dropShare, double lobbyShare,
    int playersPerWorker, int connectPerSecond, String nodeHeap, String workerHeap, Path outDir,
    List<Fault.Kind> faults, int gapSeconds, int freezeSeconds, int outageSeconds, int livenessMillis,
    int heartbeatTimeoutSeconds, boolean compare, boolean freshNode) {

    /** Players a single generator process may hold: the fd limit (20,000) leaves room for a few processes' worth. */
    public static final int MAX_PLAYERS_PER_WORKER = 9_000;

    static BenchOptions parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("name a scenario first: " + Scenario.names());
        }
        Scenario scenario = Scenario.named(args[0]);
        Map<String, String> given = new HashMap<>(scenario.defaults());
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected an option like --players, got '" + arg + "'");
            }
            String name = arg.substring(2);
            if (name.equals("fast")) {
                given.putAll(Scenario.FAST_VARIANT);
                continue;
            }
            if (name.equals("compare") || name.equals("fresh-node")) {
                given.put(name, "true");
                continue;
            }
            if (!Scenario.KNOWN_OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; known: --fast, --compare, --fresh-node, --"
                    + String.join(", --", Scenario.KNOWN_OPTIONS));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            given.put(name, args[++i]);
        }
        return from(scenario, List.of(args), given);
    }

    private static BenchOptions from(Scenario scenario, List<String> command, Map<String, String> given) {
        Values v = new Values(given);
        String think = v.text("think");
        String[] thinkRange = think.split("-");
        if (thinkRange.length != 2) {
            throw new IllegalArgumentException("--think takes MIN-MAX in milliseconds, like 200-2500; got '" + think + "'");
        }
        List<String> urls = v.text("url").isBlank() ? List.of() : Arrays.stream(v.text("url").split(",")).map(String::trim).toList();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path out = v.text("out").isBlank() ? Path.of("results", scenario.id() + "-" + stamp) : Path.of(v.text("out"));
        BenchOptions options = new BenchOptions(scenario, command,
            v.integer("nodes", 1, 5), urls, v.text("postgres"), v.text("redis"),
            v.integer("players", 2, 200_000), v.integer("duration", 5, 86_400), v.integer("warmup", 5, 3_600),
            v.integer("start", 2, 200_000), v.integer("step", 1, 100_000), v.integer("step-seconds", 10, 3_600),
            v.integer("max", 2, 200_000), v.decimal("limit-ms", 1, 60_000),
            v.integer("kill-after", 1, 3_600),
            v.integer("match-size", 2, 10), v.integer("questions", 1, 30), v.integer("question-millis", 500, 60_000),
            parseInt("--think", thinkRange[0]), parseInt("--think", thinkRange[1]),
            v.decimal("accuracy", 0, 1), v.decimal("drop", 0, 1), v.decimal("lobby", 0, 1),
            v.integer("per-worker", 10, MAX_PLAYERS_PER_WORKER), v.integer("connect-rate", 1, 10_000),
            v.text("node-heap"), v.text("worker-heap"), out,
            faults(v.text("faults")), v.integer("gap", 5, 600), v.integer("freeze-seconds", 1, 600),
            v.integer("outage-seconds", 1, 3_600), v.integer("liveness-ms", 0, 60_000), v.integer("heartbeat-timeout", 0, 600),
            given.containsKey("compare"), given.containsKey("fresh-node"));
        if (options.thinkMinMillis < 0 || options.thinkMaxMillis <= options.thinkMinMillis) {
            throw new IllegalArgumentException("--think MIN-MAX needs 0 <= MIN < MAX; got '" + think + "'");
        }
        if (options.compare) {
            checkComparable(options);
        }
        if (options.freshNode) {
            checkFreshNodes(options);
        }
        return options;
    }

    /** Fresh nodes per step: only a ramp has steps, and only nodes the harness starts can be fresh. */
    private static void checkFreshNodes(BenchOptions options) {
        if (!options.scenario.ramps()) {
            throw new IllegalArgumentException("--fresh-node is for the ramping scenarios (capacity, echo) only");
        }
        if (!options.urls.isEmpty()) {
            throw new IllegalArgumentException("--fresh-node starts fresh nodes for each step; --url is not for it");
        }
    }

    /** A comparison starts one fresh node, then --nodes fresh nodes, itself: only the cluster scenario does. */
    private static void checkComparable(BenchOptions options) {
        if (options.scenario != Scenario.CLUSTER) {
            throw new IllegalArgumentException("--compare is for the cluster scenario only");
        }
        if (!options.urls.isEmpty()) {
            throw new IllegalArgumentException("--compare starts fresh nodes for each run; --url is not for it");
        }
        if (options.nodes < 2) {
            throw new IllegalArgumentException("--compare runs one node against --nodes nodes, which must be 2 or more; got " + options.nodes);
        }
    }

    /**
     * The options of one run of a comparison: the same workload on {@code nodeCount} nodes, its report in
     * {@code nodes-<count>/} of this run's folder.
     */
    BenchOptions comparedRun(int nodeCount) {
        return oneRunOf(nodeCount, players, startPlayers, maxPlayers, outDir.resolve("nodes-" + nodeCount));
    }

    /**
     * The options of one step of a ramp on fresh nodes ({@code --fresh-node}): a ramp of that one step, so
     * it warms up, settles and measures for {@code --step-seconds} as a step of the warm ramp does, its
     * report in {@code players-<level>/} of this run's folder.
     */
    BenchOptions freshNodeStep(int level) {
        return oneRunOf(nodes, level, level, level, outDir.resolve("players-" + level));
    }

    private BenchOptions oneRunOf(int nodeCount, int playerCount, int start, int max, Path out) {
        return new BenchOptions(scenario, command, nodeCount, urls, postgresUri, redisUri,
            playerCount, durationSeconds, warmupSeconds, start, stepPlayers, stepSeconds, max, limitMillis,
            killAfterSeconds, matchSize, questions, questionMillis, thinkMinMillis, thinkMaxMillis,
            accuracy, dropShare, lobbyShare, playersPerWorker, connectPerSecond, nodeHeap, workerHeap,
            out, faults, gapSeconds, freezeSeconds, outageSeconds, livenessMillis,
            heartbeatTimeoutSeconds, false, false);
    }

    /** The players of each ramp step: from --start by --step up to --max, with a last step at --max when a step would pass it. */
    List<Integer> rampLevels() {
        List<Integer> levels = new ArrayList<>();
        int level = startPlayers;
        while (level <= maxPlayers) {
            levels.add(level);
            int next = level + stepPlayers;
            level = level < maxPlayers && next > maxPlayers ? maxPlayers : next;
        }
        return levels;
    }

    private static List<Fault.Kind> faults(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        try {
            return Arrays.stream(text.split(",")).map(String::trim).map(Fault.Kind::named).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--faults: " + e.getMessage());
        }
    }

    private static int parseInt(String option, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes whole numbers; got '" + text + "'");
        }
    }

    /** The most players this run will ask for. */
    int peakPlayers() {
        return scenario.ramps() ? maxPlayers : players;
    }

    /** The {@code QUIZ_*} settings for nodes the harness starts: the workload's match shape. */
    Map<String, String> nodeSettings() {
        Map<String, String> env = new HashMap<>();
        env.put("QUIZ_MATCH_QUESTION_COUNT", Integer.toString(questions));
        env.put("QUIZ_MATCH_QUESTION_MILLIS", Integer.toString(questionMillis));
        env.put("QUIZ_MATCH_COUNTDOWN_MILLIS", "0");
        env.put("QUIZ_MATCH_REVEAL_MILLIS", "0");
        // Sign-up is not the workload under test; thousands of Argon2 hashes at production cost would
        // take minutes before the first match. Logins during the run use the same cheap hashes.
        env.put("QUIZ_AUTH_ARGON2_MEMORY_KIB", "1024");
        env.put("QUIZ_AUTH_ARGON2_ITERATIONS", "1");
        env.put("QUIZ_AUTH_ACCESS_TOKEN_SECONDS", "86400");
        // Every simulated player signs up from this one machine, up to --connect-rate a second: the
        // per-address request limit would throttle sign-up, which is not what is measured.
        env.put("QUIZ_RATE_LIMIT_ANONYMOUS_PER_WINDOW", "0");
        env.put("QUIZ_RATE_LIMIT_USER_PER_WINDOW", "0");
        if (heartbeatTimeoutSeconds > 0) {
            env.put("QUIZ_CLUSTER_HEARTBEAT_SECONDS", "1");
            env.put("QUIZ_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", Integer.toString(heartbeatTimeoutSeconds));
        }
        if (scenario == Scenario.CHAOS && nodesKnowSetting("cluster", "minMembers")) {
            // A node cut off from the others (frozen, then resumed alone) must not serve on its own.
            env.put("QUIZ_CLUSTER_MIN_MEMBERS", "2");
        }
        env.putAll(extraNodeSettings(System.getenv("BENCH_NODE_ENV")));
        return env;
    }

    /** {@code BENCH_NODE_ENV}: {@code QUIZ_*=value} pairs, separated by spaces, for the nodes (an A/B of one setting). */
    static Map<String, String> extraNodeSettings(String pairs) {
        Map<String, String> env = new HashMap<>();
        if (pairs == null || pairs.isBlank()) {
            return env;
        }
        for (String pair : pairs.trim().split("\\s+")) {
            int equals = pair.indexOf('=');
            if (!pair.startsWith("QUIZ_") || equals < 0) {
                throw new IllegalArgumentException("BENCH_NODE_ENV takes QUIZ_NAME=value pairs separated by spaces, not '"
                    + pair + "'");
            }
            env.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return env;
    }

    /**
     * Whether the nodes this harness starts (from its own class path) have {@code section.key}: a
     * setting they do not know is neither passed nor reported as in effect.
     */
    static boolean nodesKnowSetting(String section, String key) {
        JsonObject defaults = ConfigLoader.load(Map.of());
        return defaults.getJsonObject(section, new JsonObject()).containsKey(key);
    }

    /** The workers' JVM options: their heap, the parallel collector, and {@code BENCH_WORKER_JVM}'s. */
    public List<String> workerJvmOptions() {
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + workerHeap, "-XX:+UseParallelGC"));
        jvm.addAll(extraJvmOptions("BENCH_WORKER_JVM"));
        return jvm;
    }

    List<String> nodeJvmOptions() {
        // The JVM settings deploy/README.md recommends for a node: G1 aiming at 50 ms pauses (its default
        // 200 ms let a young collection take 220 ms), and the heap touched once at start (a fresh node's
        // collections otherwise spent most of their pauses faulting pages in).
        List<String> jvm = new ArrayList<>(List.of("-Xms" + nodeHeap, "-Xmx" + nodeHeap, "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=50", "-XX:+AlwaysPreTouch"));
        jvm.addAll(extraJvmOptions("BENCH_NODE_JVM"));
        return jvm;
    }

    /** JVM options from an environment variable, separated by spaces (e.g. {@code -Xlog:gc:file=...}). */
    private static List<String> extraJvmOptions(String variable) {
        String extra = System.getenv(variable);
        return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }

    /** What the report shows as the workload. */
    Map<String, Object> workload() {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("matchSize", matchSize);
        w.put("questions", questions);
        w.put("questionMillis", questionMillis);
        w.put("thinkMillis", thinkMinMillis + "-" + thinkMaxMillis);
        w.put("countdownMillis", 0);
        w.put("revealMillis", 0);
        w.put("accuracy", accuracy);
        w.put("dropShare", dropShare);
        w.put("lobbyShare", lobbyShare);
        w.put("playersPerWorker", playersPerWorker);
        w.put("connectPerSecond", connectPerSecond);
        w.put("nodeHeap", nodeHeap);
        if (freshNode) {
            w.put("freshNodePerStep", true);
        }
        if (scenario == Scenario.CHAOS) {
            w.put("faults", faults.stream().map(Fault.Kind::id).toList());
            w.put("gapSeconds", gapSeconds);
            w.put("freezeSeconds", freezeSeconds);
            w.put("outageSeconds", outageSeconds);
            w.put("livenessMillis", livenessMillis);
            w.put("heartbeatTimeoutSeconds", heartbeatTimeoutSeconds);
            w.put("nodeSettings", new TreeMap<>(nodeSettings()));
        }
        return w;
    }

    /** The mean time between one player's answers, for the echo baseline to send at the same rate. */
    int echoIntervalMillis() {
        // A question closes when the slowest of matchSize players has answered: the expected maximum
        // of matchSize uniform think times.
        double slowest = thinkMinMillis + (thinkMaxMillis - thinkMinMillis) * matchSize / (matchSize + 1.0);
        return (int) Math.round(Math.min(slowest, questionMillis));
    }

    private record Values(Map<String, String> given) {
        String text(String name) {
            return given.getOrDefault(name, "");
        }

        int integer(String name, int min, int max) {
            int value = parseInt("--" + name, text(name));
            if (value < min || value > max) {
                throw new IllegalArgumentException("--" + name + " must be " + min + ".." + max + "; got " + value);
            }
            return value;
        }

        double decimal(String name, double min, double max) {
            double value;
            try {
                value = Double.parseDouble(text(name));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " takes a number; got '" + text(name) + "'");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("--" + name + " must be " + min + ".." + max + "; got " + value);
            }
            return value;
        }
    }
}
