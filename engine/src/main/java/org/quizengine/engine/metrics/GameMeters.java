package org.quizengine.engine.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.quizengine.shared.ErrorCode;

/**
 * The meters the game records as it runs (the gateway, the matches, the matchmaker, the outbox),
 * registered on the node's registry under the names in {@link NodeMetrics}. Every meter is built
 * here once, with a fixed, small set of tags (no match or user ids), so a recording on a hot path
 * is a map lookup at most and an atomic add; histograms have fixed buckets for Prometheus to
 * aggregate, no percentiles computed in the JVM.
 */
public final class GameMeters {
    /** Bucket bounds (ms) of the answer acknowledgement and question lateness histograms: the 50 ms budget sits mid-range. */
    static final long[] LATENCY_BUCKETS_MILLIS = {5, 10, 25, 50, 100, 250, 500, 1000};
    /** Bucket bounds (s) of the matchmaking wait histogram. */
    static final long[] WAIT_BUCKETS_SECONDS = {1, 2, 5, 10, 20, 30, 60, 120};
    /** Bucket bounds (ms) of the result store lag histogram: results land within seconds, or after an outage. */
    static final long[] STORE_LAG_BUCKETS_MILLIS = {50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000};
    static final String OTHER_CODE = "OTHER";

    private final Counter answersAccepted;
    private final Counter answersRefused;
    private final Timer answerAck;
    private final Timer questionLateness;
    private final Timer matchmakingWait;
    private final Map<String, Counter> framesRejected;
    private final Map<ErrorCode, Counter> restErrors = new EnumMap<>(ErrorCode.class);
    private final Counter[] httpResponses = new Counter[5];
    private final Counter takenOverFailover;
    private final Counter takenOverHandover;
    private final Counter handedOver;
    private final Counter matchesFinished;
    private final Timer postgresLag;
    private final Timer redisLag;
    private final Counter unhandledErrors;

    public GameMeters(MeterRegistry registry) {
        answersAccepted = answers(registry, "accepted");
        answersRefused = answers(registry, "refused");
        answerAck = histogram(NodeMetrics.ANSWER_ACK, "From an answer frame's arrival at the gateway to its answer_accepted or error",
            millis(LATENCY_BUCKETS_MILLIS)).register(registry);
        questionLateness = histogram(NodeMetrics.QUESTION_LATENESS,
            "How long after its scheduled open time a question went out to its players", millis(LATENCY_BUCKETS_MILLIS))
            .register(registry);
        matchmakingWait = histogram(NodeMetrics.MATCHMAKING_WAIT, "How long players waited in a quick-match queue for their match",
            seconds(WAIT_BUCKETS_SECONDS)).register(registry);
        Map<String, Counter> rejected = new HashMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            rejected.put(code.name(), rejectedFrames(registry, code.name()));
            restErrors.put(code, Counter.builder(NodeMetrics.REST_ERRORS).tag("code", code.name())
                .description("REST problem responses sent, by error code").register(registry));
        }
        rejected.put(OTHER_CODE, rejectedFrames(registry, OTHER_CODE));
        framesRejected = Map.copyOf(rejected);
        for (int i = 0; i < httpResponses.length; i++) {
            httpResponses[i] = Counter.builder(NodeMetrics.HTTP_RESPONSES).tag("status", (i + 1) + "xx")
                .description("HTTP responses sent (REST, health, metrics, web client), by status class").register(registry);
        }
        takenOverFailover = takenOver(registry, "failover");
        takenOverHandover = takenOver(registry, "handover");
        handedOver = Counter.builder(NodeMetrics.MATCHES_HANDED_OVER)
            .description("Live matches this node handed to another node while draining").register(registry);
        matchesFinished = Counter.builder(NodeMetrics.MATCHES_FINISHED)
            .description("Matches that finished on this node").register(registry);
        postgresLag = storeLag(registry, "postgres");
        redisLag = storeLag(registry, "redis");
        unhandledErrors = Counter.builder(NodeMetrics.UNHANDLED_ERRORS)
            .description("Exceptions that reached Vert.x uncaught (each logged at ERROR with its stack): a bug")
            .register(registry);
    }

    /** An exception that reached Vert.x uncaught: whatever it interrupted (a response, a frame) may not have finished. */
    public void unhandledError() {
        unhandledErrors.increment();
    }

    /** Meters that count but are exported nowhere: for parts run without a node (tests of one verticle). */
    public static GameMeters unexported() {
        return new GameMeters(new SimpleMeterRegistry());
    }

    private static Counter answers(MeterRegistry registry, String outcome) {
        return Counter.builder(NodeMetrics.ANSWERS).tag("outcome", outcome)
            .description("Answer frames acknowledged by their match (accepted) or refused with an error").register(registry);
    }

    private static Counter rejectedFrames(MeterRegistry registry, String code) {
        return Counter.builder(NodeMetrics.FRAMES_REJECTED).tag("code", code)
            .description("WebSocket error frames sent to players, by error code").register(registry);
    }

    private static Counter takenOver(MeterRegistry registry, String reason) {
        return Counter.builder(NodeMetrics.MATCHES_TAKEN_OVER).tag("reason", reason)
            .description("Live matches this node took over: from a lost node (failover) or a draining one (handover)")
            .register(registry);
    }

    private static Timer storeLag(MeterRegistry registry, String store) {
        return histogram(NodeMetrics.RESULT_STORE_LAG, "From a match's end to its result written in the store, by store",
            millis(STORE_LAG_BUCKETS_MILLIS)).tag("store", store).register(registry);
    }

    private static Timer.Builder histogram(String name, String description, Duration[] buckets) {
        return Timer.builder(name).description(description).serviceLevelObjectives(buckets);
    }

    private static Duration[] millis(long[] bounds) {
        Duration[] durations = new Duration[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            durations[i] = Duration.ofMillis(bounds[i]);
        }
        return durations;
    }

    private static Duration[] seconds(long[] bounds) {
        Duration[] durations = new Duration[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            durations[i] = Duration.ofSeconds(bounds[i]);
        }
        return durations;
    }

    /** An answer frame got its reply (accepted) or an error, {@code startedNanos} ({@link System#nanoTime}) after it arrived. */
    public void answerAcknowledged(long startedNanos, boolean accepted) {
        answerAck.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        (accepted ? answersAccepted : answersRefused).increment();
    }

    /** A question went out {@code millis} after its scheduled open time. */
    public void questionSent(long lateMillis) {
        questionLateness.record(Math.max(0, lateMillis), TimeUnit.MILLISECONDS);
    }

    /** A quick-match player waited {@code millis} in a queue before their match formed. */
    public void matchmakingWaited(long millis) {
        matchmakingWait.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /** An error frame with {@code code} went to a player. */
    public void frameRejected(String code) {
        Counter counter = framesRejected.get(code);
        (counter != null ? counter : framesRejected.get(OTHER_CODE)).increment();
    }

    /** An HTTP response with {@code status} went out; {@code problem} is its error code if it was a problem response. */
    public void httpResponse(int status, ErrorCode problem) {
        int statusClass = status / 100;
        if (statusClass >= 1 && statusClass <= 5) {
            httpResponses[statusClass - 1].increment();
        }
        if (problem != null) {
            restErrors.get(problem).increment();
        }
    }

    /** This node took over a live match: from a node that is gone ({@code failover}) or one that handed it over. */
    public void matchTakenOver(boolean fromLostNode) {
        (fromLostNode ? takenOverFailover : takenOverHandover).increment();
    }

    /** This node handed one of its live matches to another node (a drain). */
    public void matchHandedOver() {
        handedOver.increment();
    }

    /** A match finished on this node. */
    public void matchFinished() {
        matchesFinished.increment();
    }

    /** A result was written to PostgreSQL ({@code postgres}) or the leaderboards ({@code !postgres}), {@code lagMillis} after its match ended. */
    public void resultStored(boolean postgres, long lagMillis) {
        (postgres ? postgresLag : redisLag).record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
    }
}
