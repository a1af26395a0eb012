package org.quizengine.bench.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;

/**
 * What one worker's players felt, counted on the worker's event loop and sent to the coordinator
 * once a second as a {@code tick} (interval figures) and once at the end as a {@code final} (what the
 * store audit needs).
 */
final class WorkerStats {
    /** Latencies are recorded in microseconds, up to a minute, to three significant digits. */
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);
    /** Slow recoveries kept per fault and worker. */
    static final int SLOW_KEPT = 10;

    private final Recorder ackMicros = new Recorder(HIGHEST_MICROS, 3);
    private final Recorder latenessMicros = new Recorder(HIGHEST_MICROS, 3);
    private final Map<String, Integer> errors = new HashMap<>();
    private final Map<UUID, Integer> acknowledgedByMatch = new HashMap<>();
    private final Set<UUID> finishedMatches = new HashSet<>();
    private final Set<UUID> users = new HashSet<>();
    private final List<Long> recoveryMillis = new ArrayList<>();
    private final Map<String, List<Long>> recoveryMillisByFault = new HashMap<>();
    private final Map<String, Integer> markedByFault = new HashMap<>();
    private final JsonArray lostMatches = new JsonArray();
    /** Per fault: the slowest recoveries (over the chaos target), with what the player did and heard. */
    private final Map<String, List<JsonObject>> slowRecoveries = new HashMap<>();
    private final JsonObject newlyFinished = new JsonObject();
    /** Frames players received over the whole run, by type: how many, and their bytes (UTF-8). */
    private final Map<String, long[]> received = new HashMap<>();
    private int answersSent;
    private int answersAcked;
    private int questions;
    private int matchesFinished;
    private int reconnects;
    private int drops;
    private int connectFailures;
    private int signInFailures;
    private int markedPlayers;
    private int socketsGivenUp;

    void signedIn(UUID userId) {
        users.add(userId);
    }

    void answerSent() {
        answersSent++;
    }

    void answerAcknowledged(UUID matchId, long latencyNanos) {
        answersAcked++;
        ackMicros.recordValue(Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
        if (matchId != null) {
            acknowledgedByMatch.merge(matchId, 1, Integer::sum);
        }
    }

    /** An echo round trip counts as an acknowledged answer: it is the same client-side measurement. */
    void echoed(long latencyNanos) {
        answerAcknowledged(null, latencyNanos);
    }

    void questionReceived(long latenessMillis) {
        questions++;
        latenessMicros.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, TimeUnit.MILLISECONDS.toMicros(latenessMillis))));
    }

    void matchFinished(UUID matchId) {
        // Every player of the match sees match_finished; count the match once per worker.
        if (finishedMatches.add(matchId)) {
            matchesFinished++;
            newlyFinished.put(matchId.toString(), System.currentTimeMillis());
        }
    }

    /** A frame of {@code bytes} bytes (UTF-8, as it came) of this type. */
    void frameReceived(String type, int bytes) {
        long[] counts = received.computeIfAbsent(type, t -> new long[2]);
        counts[0]++;
        counts[1] += bytes;
    }

    void error(String code) {
        errors.merge(code, 1, Integer::sum);
    }

    void reconnected() {
        reconnects++;
    }

    void dropped() {
        drops++;
    }

    /** A player gave a silent socket up (no frame, not even a pong) and reconnected elsewhere. */
    void abandoned() {
        socketsGivenUp++;
    }

    void connectFailed() {
        connectFailures++;
    }

    void signInFailed() {
        signInFailures++;
    }

    /** One player was in a match {@code fault} disrupted; it should report a recovery. */
    void marked(String fault) {
        markedPlayers++;
        markedByFault.merge(fault, 1, Integer::sum);
    }

    void recoveredAfter(String fault, long millis) {
        recoveryMillis.add(millis);
        recoveryMillisByFault.computeIfAbsent(fault, f -> new ArrayList<>()).add(millis);
    }

    /**
     * The server told a player it has no match while the player was in one it never saw finish:
     * the player lost that match. {@code fault} is the disruption it was recovering from, if any.
     */
    void lostMatch(UUID matchId, long atMillis, String fault, List<String> trace) {
        JsonObject lost = new JsonObject().put("matchId", matchId.toString()).put("at", atMillis).put("fault", fault);
        if (trace != null) {
            lost.put("trace", new JsonArray(new ArrayList<>(trace)));
        }
        lostMatches.add(lost);
    }

    /**
     * A player took {@code millis} to hear from its match again after {@code fault} (-1: it never did):
     * kept with its trace if it is among the {@link #SLOW_KEPT} slowest of the fault (one that never
     * ended counts as the slowest).
     */
    void slowRecovery(String fault, long millis, String player, List<String> trace) {
        List<JsonObject> kept = slowRecoveries.computeIfAbsent(fault, f -> new ArrayList<>());
        kept.add(new JsonObject().put("millis", millis).put("player", player)
            .put("trace", new JsonArray(trace == null ? List.of() : new ArrayList<>(trace))));
        if (kept.size() > SLOW_KEPT) {
            kept.remove(kept.stream().min(Comparator.comparingLong(WorkerStats::slowness)).orElseThrow());
        }
    }

    private static long slowness(JsonObject recovery) {
        long millis = recovery.getLong("millis");
        return millis < 0 ? Long.MAX_VALUE : millis;
    }

    /** The figures since the last tick (and the matches first seen finished since, with when), then zeroes them. */
    JsonObject tick(int connected, int inMatch, int wanted) {
        JsonObject tick = new JsonObject().put("type", "tick")
            .put("connected", connected).put("inMatch", inMatch).put("wanted", wanted)
            .put("answersSent", answersSent).put("answersAcked", answersAcked).put("questions", questions)
            .put("matchesFinished", matchesFinished).put("reconnects", reconnects).put("drops", drops)
            .put("connectFailures", connectFailures).put("signInFailures", signInFailures)
            .put("errors", new JsonObject(new HashMap<>(errors)))
            .put("ack", Histograms.encode(ackMicros.getIntervalHistogram()))
            .put("lateness", Histograms.encode(latenessMicros.getIntervalHistogram()))
            .put("cpuNanos", ProcessCpu.nanos())
            .put("finished", newlyFinished.copy());
        newlyFinished.clear();
        answersSent = answersAcked = questions = matchesFinished = reconnects = drops = connectFailures = signInFailures = 0;
        errors.clear();
        return tick;
    }

    /** Every match this worker saw finish, with the answers acknowledged in it, and every user. */
    JsonObject finish() {
        JsonObject matches = new JsonObject();
        finishedMatches.forEach(id -> matches.put(id.toString(), acknowledgedByMatch.getOrDefault(id, 0)));
        return new JsonObject().put("type", "final")
            .put("finishedMatches", matches)
            .put("users", new JsonArray(users.stream().map(UUID::toString).toList()))
            .put("markedPlayers", markedPlayers)
            .put("socketsGivenUp", socketsGivenUp)
            .put("recoveryMillis", new JsonArray(new ArrayList<>(recoveryMillis)))
            .put("markedByFault", new JsonObject(new HashMap<>(markedByFault)))
            .put("recoveryMillisByFault", byFault(recoveryMillisByFault))
            .put("lostMatches", lostMatches.copy())
            .put("slowRecoveries", byFaultJson(slowRecoveries))
            .put("framesReceived", framesReceived());
    }

    private JsonObject framesReceived() {
        JsonObject json = new JsonObject();
        received.forEach((type, counts) -> json.put(type, new JsonObject().put("frames", counts[0]).put("bytes", counts[1])));
        return json;
    }

    private static JsonObject byFaultJson(Map<String, List<JsonObject>> recoveries) {
        JsonObject json = new JsonObject();
        recoveries.forEach((fault, list) -> json.put(fault, new JsonArray(new ArrayList<>(list))));
        return json;
    }

    private static JsonObject byFault(Map<String, List<Long>> millis) {
        JsonObject json = new JsonObject();
        millis.forEach((fault, list) -> json.put(fault, new JsonArray(new ArrayList<>(list))));
        return json;
    }
}
