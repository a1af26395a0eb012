package org.quizengine.bench.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The chaos run's verdict: for each fault, what the players it touched felt (time to play again,
 * matches lost, errors), what happened to the results of its stretch of the run (lost, duplicated,
 * and for a store outage how long after the store's return each result landed), and each target
 * passed or failed. Pure: everything comes from {@link Observations}.
 */
public final class ChaosReport {
    /** The targets. */
    public static final long PLAY_AGAIN_P99_LIMIT_MILLIS = 3_000;
    public static final long STORED_AFTER_RECOVERY_LIMIT_MILLIS = 5_000;
    static final String PLAYERS_LOST = "0 players lost";
    static final String PLAY_AGAIN = "p99 time to play again <= 3 s";
    static final String PLAY_AGAIN_AFTER_DETECTION = "p99 time to play again <= 3 s after the freeze is detected";
    /** In a freeze's details: the failure detector's timeout (Hazelcast's max-no-heartbeat) in ms. */
    public static final String DETECTION_MILLIS = "detectionMillis";
    static final String RESULTS_LOST = "0 results lost";
    static final String RESULTS_DUPLICATED = "0 results duplicated";
    static final String STORED_IN_TIME = "every result stored <= 5 s after recovery";
    /** Slow recoveries the report keeps per fault, with their traces. */
    static final int SLOWEST_KEPT = 10;

    private ChaosReport() {
    }

    /** Figures and targets per fault, and over all faults whether each target held everywhere. */
    public static JsonObject of(List<Fault> faults, Observations seen) {
        JsonArray perFault = new JsonArray();
        Map<String, List<String>> failedIn = new LinkedHashMap<>();
        for (Fault fault : faults) {
            JsonObject figures = fault(fault, seen);
            perFault.add(figures);
            figures.getJsonArray("targets").stream().map(JsonObject.class::cast).forEach(target -> {
                List<String> failed = failedIn.computeIfAbsent(target.getString("target"), t -> new ArrayList<>());
                if (!target.getBoolean("passed")) {
                    failed.add(fault.name());
                }
            });
        }
        JsonArray targets = new JsonArray();
        failedIn.forEach((target, failed) -> targets.add(new JsonObject().put("target", target)
            .put("passed", failed.isEmpty()).put("failedIn", new JsonArray(failed))));
        boolean passed = failedIn.values().stream().allMatch(List::isEmpty);
        return new JsonObject().put("faults", perFault).put("targets", targets).put("passed", passed)
            .put("socketsGivenUp", seen.socketsGivenUp);
    }

    static JsonObject fault(Fault fault, Observations seen) {
        JsonObject figures = new JsonObject().put("fault", fault.name()).put("kind", fault.kind().id())
            .put("label", fault.label()).put("lastedSeconds", fault.lastedSeconds())
            .put("windowSeconds", (fault.windowEndMillis() - fault.startMillis()) / 1000.0)
            .mergeIn(fault.details());
        JsonArray targets = new JsonArray();
        players(fault, seen, figures, targets);
        results(fault, seen, figures, targets);
        figures.put("errors", errors(fault, seen));
        return figures.put("targets", targets)
            .put("passed", targets.stream().map(JsonObject.class::cast).allMatch(t -> t.getBoolean("passed")));
    }

    /**
     * Whether the player's match had ended before they were told no_match: a player saw it finish,
     * its result was seen stored, or its stored result's finish time says so.
     */
    private static boolean endedBefore(Observations seen, Observations.LostMatch told) {
        long ended = Long.MAX_VALUE;
        for (Map<UUID, Long> times : List.of(seen.finishedAt, seen.storedAt, seen.endedAt)) {
            Long at = times.get(told.matchId());
            ended = at == null ? ended : Math.min(ended, at);
        }
        return ended <= told.atMillis();
    }

    /** Who the fault touched, how long until they played again, and who lost their match. */
    private static void players(Fault fault, Observations seen, JsonObject figures, JsonArray targets) {
        List<Long> back = seen.recoveryMillis.getOrDefault(fault.name(), List.of());
        int touched = seen.marked.getOrDefault(fault.name(), 0);
        List<Observations.LostMatch> lost = seen.lost.stream().filter(l -> fault.name().equals(l.fault())
            || (l.fault() == null && fault.covers(l.atMillis()))).toList();
        long lostWhileRecovering = lost.stream().filter(l -> fault.name().equals(l.fault())).count();
        long neverBack = Math.max(0, touched - back.size() - lostWhileRecovering);
        // no_match after the match ended is what protocol.md promises: its result is stored, the
        // player only missed match_finished. Before the end, or for a match nobody saw end, it is a loss.
        long toldWhileLive = lost.stream().filter(l -> !endedBefore(seen, l)).count();
        long playersLost = neverBack + toldWhileLive;
        JsonObject timeToPlayAgain = percentiles(back);
        figures.put("playersTouched", touched).put("playersBack", back.size())
            .put("playersBackWithin3s", back.stream().filter(ms -> ms <= PLAY_AGAIN_P99_LIMIT_MILLIS).count())
            .put("timeToPlayAgainMs", timeToPlayAgain)
            .put("playersLost", playersLost).put("playersToldNoMatch", lost.size())
            .put("playersToldNoMatchWhileTheirMatchLived", toldWhileLive)
            .put("playersToldNoMatchAfterTheirMatchEnded", lost.size() - toldWhileLive)
            .put("playersNeverBack", neverBack)
            .put("toldNoMatch", new JsonArray(lost.stream().map(l -> new JsonObject().put("matchId", l.matchId().toString())
                .put("at", l.atMillis()).put("whileRecovering", fault.name().equals(l.fault()))
                .put("afterTheEnd", endedBefore(seen, l)).put("trace", l.trace())).toList()))
            .put("slowRecoveries", slowest(seen.slowRecoveries.getOrDefault(fault.name(), List.of())));
        targets.add(target(PLAYERS_LOST, playersLost, playersLost == 0));
        Long p99 = timeToPlayAgain.getLong("p99");
        // A frozen node cannot be told from a slow one before the failure detector gives up on it.
        long detection = fault.kind() == Fault.Kind.FREEZE ? fault.details().getLong(DETECTION_MILLIS, 0L) : 0;
        targets.add(target(detection == 0 ? PLAY_AGAIN : PLAY_AGAIN_AFTER_DETECTION,
            p99 == null ? "no player touched" : p99 + " ms (limit " + (PLAY_AGAIN_P99_LIMIT_MILLIS + detection) + " ms)",
            p99 == null || p99 <= PLAY_AGAIN_P99_LIMIT_MILLIS + detection));
    }

    /** The results of the matches players saw finish in the fault's stretch of the run. */
    private static void results(Fault fault, Observations seen, JsonObject figures, JsonArray targets) {
        List<UUID> finished = seen.finishedAt.entrySet().stream().filter(e -> fault.covers(e.getValue()))
            .map(Map.Entry::getKey).toList();
        long lost = finished.stream().filter(seen.auditLost::contains).count();
        long duplicated = finished.stream().filter(seen.auditDuplicated::contains).count();
        figures.put("matchesFinished", finished.size()).put("resultsLost", lost).put("resultsDuplicated", duplicated);
        targets.add(target(RESULTS_LOST, lost, lost == 0));
        targets.add(target(RESULTS_DUPLICATED, duplicated, duplicated == 0));
        if (fault.kind().storeOutage()) {
            JsonObject late = LateResults.of(fault, seen.finishedAt, seen.storedAt);
            figures.put("lateResults", late);
            long missed = late.getLong("late") + late.getLong("notStored");
            targets.add(target(STORED_IN_TIME, missed == 0 ? "all " + late.getLong("results")
                : missed + " of " + late.getLong("results") + " late or missing", missed == 0));
        }
    }

    /**
     * The slowest recoveries over the target (never finished first), each with what its player did and
     * heard from the fault on: where the time went.
     */
    static JsonArray slowest(List<JsonObject> slow) {
        return new JsonArray(slow.stream()
            .sorted(Comparator.comparingLong((JsonObject s) -> s.getLong("millis") < 0 ? Long.MAX_VALUE : s.getLong("millis")).reversed())
            .limit(SLOWEST_KEPT).toList());
    }

    private static JsonObject errors(Fault fault, Observations seen) {
        Map<String, Integer> byCode = new TreeMap<>();
        seen.errors.stream().filter(sample -> fault.covers(sample.atMillis()))
            .forEach(sample -> sample.byCode().forEach((code, n) -> byCode.merge(code, n, Integer::sum)));
        return new JsonObject(new LinkedHashMap<>(byCode));
    }

    private static JsonObject target(String name, Object measured, boolean passed) {
        return new JsonObject().put("target", name).put("measured", measured).put("passed", passed);
    }

    /** Exact percentiles (nearest rank) of a few hundred values, in the values' unit; nulls when there are none. */
    static JsonObject percentiles(List<Long> values) {
        List<Long> sorted = values.stream().sorted().collect(Collectors.toList());
        return new JsonObject().put("p50", rank(sorted, 50)).put("p99", rank(sorted, 99))
            .put("max", sorted.isEmpty() ? null : sorted.get(sorted.size() - 1)).put("count", sorted.size());
    }

    private static Long rank(List<Long> sorted, double percentile) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(percentile / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
