package org.quizengine.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The named runs, each a set of default options; any option can be overridden on the command line. */
public enum Scenario {
    /** Under a minute: one node, a few matches of every kind, drops and reconnects, then the audit. */
    SMOKE("smoke", false, Map.ofEntries(
        Map.entry("players", "20"), Map.entry("duration", "20"), Map.entry("match-size", "5"),
        Map.entry("questions", "4"), Map.entry("question-millis", "2000"), Map.entry("think", "100-900"),
        Map.entry("lobby", "0.25"), Map.entry("drop", "0.2"), Map.entry("connect-rate", "100"),
        Map.entry("node-heap", "512m"))),
    /** One node; players ramp up in steps until p99 answer acknowledgement passes the limit. */
    CAPACITY("capacity", true, Map.of()),
    /** Three clustered nodes; players spread over them, so most play a match hosted on another node. */
    CLUSTER("cluster", false, Map.of("nodes", "3", "players", "3000", "duration", "60")),
    /** Three clustered nodes; the one hosting the most matches is killed with SIGKILL mid-run. */
    FAILOVER("failover", false, Map.of("nodes", "3", "players", "1500", "duration", "60", "kill-after", "20")),
    /**
     * Three clustered nodes behind cuttable store proxies under a few hundred players playing quick
     * matches back to back; in turn, with recovery gaps: kill -9 a node (then a replacement starts),
     * SIGSTOP another, cut PostgreSQL, cut Redis. Reports per fault against the targets.
     */
    CHAOS("chaos", false, Map.ofEntries(Map.entry("nodes", "3"), Map.entry("players", "300"),
        Map.entry("questions", "5"), Map.entry("node-heap", "1g"), Map.entry("faults", "kill,freeze,postgres,redis"),
        Map.entry("liveness-ms", "1000"), Map.entry("heartbeat-timeout", "5"))),
    /** The ceiling: the bare echo server, ramped like capacity with the same clients and message rate. */
    ECHO("echo", true, Map.of());

    /** The headline workload of issue 4: matches of 10, 10 questions of 3 s, think 200-2500 ms, no pauses. */
    static final Map<String, String> HEADLINE = Map.ofEntries(
        Map.entry("nodes", "1"), Map.entry("url", ""), Map.entry("postgres", ""), Map.entry("redis", ""),
        Map.entry("players", "1000"), Map.entry("duration", "60"), Map.entry("warmup", "120"),
        Map.entry("start", "2000"), Map.entry("step", "2000"), Map.entry("step-seconds", "40"), Map.entry("max", "19500"),
        Map.entry("limit-ms", "50"), Map.entry("kill-after", "20"),
        Map.entry("match-size", "10"), Map.entry("questions", "10"), Map.entry("question-millis", "3000"),
        Map.entry("think", "200-2500"), Map.entry("accuracy", "0.7"), Map.entry("drop", "0"), Map.entry("lobby", "0"),
        Map.entry("per-worker", "5000"), Map.entry("connect-rate", "1000"),
        Map.entry("node-heap", "4g"), Map.entry("worker-heap", "1g"), Map.entry("out", ""),
        Map.entry("faults", ""), Map.entry("gap", "30"), Map.entry("freeze-seconds", "15"), Map.entry("outage-seconds", "30"),
        Map.entry("liveness-ms", "0"), Map.entry("heartbeat-timeout", "0"));

    /** The faster variant: 1.5 s questions, think 100-1250 ms, to find the answers/s ceiling; p99 limit 100 ms. */
    static final Map<String, String> FAST_VARIANT = Map.of("question-millis", "1500", "think", "100-1250", "limit-ms", "100");

    static final List<String> KNOWN_OPTIONS = HEADLINE.keySet().stream().sorted().toList();

    private final String id;
    private final boolean ramps;
    private final Map<String, String> overrides;

    Scenario(String id, boolean ramps, Map<String, String> overrides) {
        this.id = id;
        this.ramps = ramps;
        this.overrides = overrides;
    }

    public String id() {
        return id;
    }

    /** Whether it ramps players in steps (capacity, echo) rather than holding one count. */
    public boolean ramps() {
        return ramps;
    }

    Map<String, String> defaults() {
        Map<String, String> all = new java.util.HashMap<>(HEADLINE);
        all.putAll(overrides);
        return all;
    }

    static Scenario named(String name) {
        return Arrays.stream(values()).filter(s -> s.id.equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "'; known: " + names()));
    }

    static String names() {
        return Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", "));
    }
}
