package org.quizengine.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The chaos run's figures per fault, from made-up observations: who a fault touched and how long they
 * took to play again, who lost their match, errors and results by the fault's stretch of the run, and
 * how long after a store's return the results of the matches that finished while it was away landed.
 */
class ChaosReportTest {
    private static final long KILL_AT = 100_000;
    private static final long OUTAGE_AT = 200_000;
    private static final long OUTAGE_BACK = 230_000;
    private static final long END = 260_000;

    private final Fault kill = new Fault("kill", Fault.Kind.KILL, "kill -9 node-2", KILL_AT, KILL_AT, OUTAGE_AT,
        new JsonObject().put("node", "node-2"));
    private final Fault postgres = new Fault("postgres", Fault.Kind.POSTGRES, "PostgreSQL cut for 30 s", OUTAGE_AT,
        OUTAGE_BACK, END, new JsonObject());

    @Test
    void playersTouchedByAFaultAreTimedAndThoseWhoLostTheirMatchCounted() {
        Observations seen = new Observations();
        seen.marked("kill", 5);
        List.of(400L, 900L, 1_300L, 4_200L).forEach(ms -> seen.recovered("kill", ms));
        UUID lived = UUID.randomUUID();
        seen.finished(lived, KILL_AT + 20_000);
        seen.lost(new Observations.LostMatch(lived, KILL_AT + 2_000, "kill", null));
        // Told no_match without being marked, in the kill's stretch: lost all the same.
        seen.lost(new Observations.LostMatch(UUID.randomUUID(), KILL_AT + 3_000, null, null));
        // In the outage's stretch: not the kill's.
        seen.lost(new Observations.LostMatch(UUID.randomUUID(), OUTAGE_AT + 1_000, null, null));
        // Told no_match after its match ended (it missed match_finished): the result stands, not a loss.
        UUID ended = UUID.randomUUID();
        seen.finished(ended, KILL_AT + 1_000);
        seen.lost(new Observations.LostMatch(ended, KILL_AT + 1_500, null, null));

        JsonObject figures = ChaosReport.fault(kill, seen);

        assertThat(figures.getInteger("playersTouched")).isEqualTo(5);
        assertThat(figures.getInteger("playersBack")).isEqualTo(4);
        assertThat(figures.getLong("playersBackWithin3s")).isEqualTo(3);
        assertThat(figures.getJsonObject("timeToPlayAgainMs").getMap())
            .containsEntry("p50", 900L).containsEntry("p99", 4_200L).containsEntry("max", 4_200L).containsEntry("count", 4);
        assertThat(figures.getLong("playersToldNoMatch")).isEqualTo(3);
        assertThat(figures.getLong("playersToldNoMatchWhileTheirMatchLived")).as("before its end, or nobody saw it end").isEqualTo(2);
        assertThat(figures.getLong("playersToldNoMatchAfterTheirMatchEnded")).isEqualTo(1);
        assertThat(figures.getLong("playersNeverBack")).as("5 touched, 4 back, 1 told no_match").isZero();
        assertThat(figures.getLong("playersLost")).isEqualTo(2);
        assertThat(figures.getString("node")).isEqualTo("node-2");
        assertThat(verdicts(figures)).containsEntry(ChaosReport.PLAYERS_LOST, false).containsEntry(ChaosReport.PLAY_AGAIN, false)
            .containsEntry(ChaosReport.RESULTS_LOST, true).containsEntry(ChaosReport.RESULTS_DUPLICATED, true)
            .doesNotContainKey(ChaosReport.STORED_IN_TIME);
        assertThat(figures.getBoolean("passed")).isFalse();
    }

    @Test
    void theSlowestRecoveriesAreReportedWithTheirTracesThoseNeverFinishedFirst() {
        Observations seen = new Observations();
        seen.marked("kill", 14);
        for (long ms = 3_100; ms < 3_100 + 12 * 100; ms += 100) {
            seen.slowRecovery("kill", slow(ms));
        }
        seen.slowRecovery("kill", slow(-1));
        seen.slowRecovery("postgres", slow(9_000));

        JsonObject figures = ChaosReport.fault(kill, seen);

        List<Long> reported = figures.getJsonArray("slowRecoveries").stream().map(JsonObject.class::cast)
            .map(s -> s.getLong("millis")).toList();
        assertThat(reported).hasSize(ChaosReport.SLOWEST_KEPT)
            .startsWith(-1L, 4_200L, 4_100L).doesNotContain(9_000L, 3_100L);
        assertThat(figures.getJsonArray("slowRecoveries").getJsonObject(1).getJsonArray("trace").getList())
            .containsExactly("+0 ms touched", "+4200 ms got reveal");
    }

    private static JsonObject slow(long millis) {
        return new JsonObject().put("millis", millis).put("player", "p")
            .put("trace", new JsonArray(List.of("+0 ms touched", "+" + millis + " ms got reveal")));
    }

    @Test
    void aMatchWhoseEveryPlayerMissedItsEndHasEndedWhenItsStoredResultSays() {
        Observations seen = new Observations();
        seen.marked("kill", 2);
        UUID unseen = UUID.randomUUID();
        seen.lost(new Observations.LostMatch(unseen, KILL_AT + 2_000, "kill", null));
        seen.lost(new Observations.LostMatch(unseen, KILL_AT + 2_100, "kill", null));
        seen.ended(unseen, KILL_AT + 1_000);

        JsonObject figures = ChaosReport.fault(kill, seen);

        assertThat(figures.getLong("playersToldNoMatchAfterTheirMatchEnded")).isEqualTo(2);
        assertThat(figures.getLong("playersLost")).isZero();
        assertThat(seen.toldNoMatchFor()).containsExactly(unseen);
    }

    @Test
    void aFreezeIsGivenThreeSecondsFromItsDetectionNotFromTheSigstop() {
        Fault freeze = new Fault("freeze", Fault.Kind.FREEZE, "SIGSTOP node-1 for 15 s", KILL_AT, KILL_AT + 15_000, OUTAGE_AT,
            new JsonObject().put("node", "node-1").put(ChaosReport.DETECTION_MILLIS, 3_000L));
        Observations fast = new Observations();
        fast.marked("freeze", 2);
        List.of(4_000L, 5_900L).forEach(ms -> fast.recovered("freeze", ms));
        Observations slow = new Observations();
        slow.marked("freeze", 2);
        List.of(4_000L, 6_100L).forEach(ms -> slow.recovered("freeze", ms));

        assertThat(verdicts(ChaosReport.fault(freeze, fast))).containsEntry(ChaosReport.PLAY_AGAIN_AFTER_DETECTION, true)
            .doesNotContainKey(ChaosReport.PLAY_AGAIN);
        assertThat(verdicts(ChaosReport.fault(freeze, slow))).containsEntry(ChaosReport.PLAY_AGAIN_AFTER_DETECTION, false);
    }

    @Test
    void aTouchedPlayerWhoNeverHeardFromItsMatchAgainIsLost() {
        Observations seen = new Observations();
        seen.marked("kill", 3);
        seen.recovered("kill", 700);
        seen.recovered("kill", 800);

        JsonObject figures = ChaosReport.fault(kill, seen);

        assertThat(figures.getLong("playersNeverBack")).isEqualTo(1);
        assertThat(figures.getLong("playersLost")).isEqualTo(1);
        assertThat(verdicts(figures)).containsEntry(ChaosReport.PLAY_AGAIN, true).containsEntry(ChaosReport.PLAYERS_LOST, false);
    }

    @Test
    void errorsAndAuditedResultsBelongToTheFaultWhoseStretchTheyFellIn() {
        Observations seen = new Observations();
        seen.errors(KILL_AT - 1_000, Map.of("SERVICE_UNAVAILABLE", 9)); // before any fault
        seen.errors(KILL_AT + 1_000, Map.of("SERVICE_UNAVAILABLE", 3, "NOT_IN_MATCH", 1));
        seen.errors(KILL_AT + 5_000, Map.of("SERVICE_UNAVAILABLE", 2));
        seen.errors(OUTAGE_AT + 1_000, Map.of("INTERNAL_ERROR", 4));
        UUID lostInKill = UUID.randomUUID();
        UUID doubledInKill = UUID.randomUUID();
        UUID fineInKill = UUID.randomUUID();
        UUID lostInOutage = UUID.randomUUID();
        seen.finished(lostInKill, KILL_AT + 1_000);
        seen.finished(doubledInKill, KILL_AT + 2_000);
        seen.finished(fineInKill, KILL_AT + 3_000);
        seen.finished(lostInOutage, OUTAGE_AT + 5_000);
        seen.audited(Set.of(lostInKill, lostInOutage), Set.of(doubledInKill));

        JsonObject figures = ChaosReport.fault(kill, seen);

        assertThat(figures.getJsonObject("errors").getMap()).containsOnly(
            Map.entry("SERVICE_UNAVAILABLE", 5), Map.entry("NOT_IN_MATCH", 1));
        assertThat(figures.getInteger("matchesFinished")).isEqualTo(3);
        assertThat(figures.getLong("resultsLost")).isEqualTo(1);
        assertThat(figures.getLong("resultsDuplicated")).isEqualTo(1);
        assertThat(verdicts(figures)).containsEntry(ChaosReport.RESULTS_LOST, false).containsEntry(ChaosReport.RESULTS_DUPLICATED, false);
    }

    @Test
    void resultsOfMatchesFinishedInAnOutageMustLandWithinFiveSecondsOfTheStoresReturn() {
        Observations seen = new Observations();
        UUID inFlight = finishedAndStored(seen, OUTAGE_AT - 500, OUTAGE_AT + 10);   // cut mid-write? landed before: 0 ms
        UUID inTime = finishedAndStored(seen, OUTAGE_AT + 10_000, OUTAGE_BACK + 2_000);
        UUID late = finishedAndStored(seen, OUTAGE_AT + 20_000, OUTAGE_BACK + 7_000);
        UUID never = UUID.randomUUID();
        seen.finished(never, OUTAGE_AT + 25_000);
        finishedAndStored(seen, OUTAGE_BACK + 1_000, OUTAGE_BACK + 30_000); // after the return: not the outage's
        finishedAndStored(seen, OUTAGE_AT - 5_000, OUTAGE_AT - 4_900);      // long before it

        JsonObject figures = ChaosReport.fault(postgres, seen);

        JsonObject lateResults = figures.getJsonObject("lateResults");
        assertThat(lateResults.getLong("results")).isEqualTo(4);
        assertThat(lateResults.getLong("storedWithinLimit")).isEqualTo(2);
        assertThat(lateResults.getLong("late")).isEqualTo(1);
        assertThat(lateResults.getLong("notStored")).isEqualTo(1);
        assertThat(lateResults.getJsonObject("delayAfterRecoveryMs").getMap())
            .containsEntry("p50", 2_000L).containsEntry("max", 7_000L).containsEntry("count", 3);
        assertThat(lateResults.getJsonArray("lateExamples").encode()).contains(late.toString(), never.toString())
            .doesNotContain(inTime.toString(), inFlight.toString());
        assertThat(verdicts(figures)).containsEntry(ChaosReport.STORED_IN_TIME, false);
        assertThat(figures.getDouble("lastedSeconds")).isEqualTo(30.0);
    }

    @Test
    void everyTargetIsJudgedOverAllFaults() {
        Observations seen = new Observations();
        seen.marked("kill", 2);
        seen.recovered("kill", 1_000);
        seen.recovered("kill", 1_500);
        seen.marked("postgres", 1);
        seen.recovered("postgres", 5_000);
        finishedAndStored(seen, OUTAGE_AT + 1_000, OUTAGE_BACK + 1_000);

        JsonObject chaos = ChaosReport.of(List.of(kill, postgres), seen);

        assertThat(chaos.getJsonArray("faults")).hasSize(2);
        assertThat(chaos.getJsonArray("faults").getJsonObject(0).getBoolean("passed")).isTrue();
        Map<String, Object> overall = chaos.getJsonArray("targets").stream().map(JsonObject.class::cast)
            .collect(Collectors.toMap(t -> t.getString("target"), t -> t.getValue("failedIn").toString()));
        assertThat(overall).containsEntry(ChaosReport.PLAY_AGAIN, "[\"postgres\"]")
            .containsEntry(ChaosReport.PLAYERS_LOST, "[]").containsEntry(ChaosReport.STORED_IN_TIME, "[]");
        assertThat(chaos.getBoolean("passed")).isFalse();
    }

    @Test
    void percentilesAreNearestRank() {
        JsonObject p = ChaosReport.percentiles(LongStream.rangeClosed(1, 200).boxed().toList());
        assertThat(p.getMap()).containsEntry("p50", 100L).containsEntry("p99", 198L).containsEntry("max", 200L);
        assertThat(ChaosReport.percentiles(List.of()).getValue("p99")).isNull();
    }

    private static UUID finishedAndStored(Observations seen, long finishedAt, long storedAt) {
        UUID matchId = UUID.randomUUID();
        seen.finished(matchId, finishedAt);
        seen.stored(matchId, storedAt);
        return matchId;
    }

    private static Map<String, Boolean> verdicts(JsonObject figures) {
        return figures.getJsonArray("targets").stream().map(JsonObject.class::cast)
            .collect(Collectors.toMap(t -> t.getString("target"), t -> t.getBoolean("passed")));
    }
}
