package org.quizengine.bench.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link StoreAudit} found: flat counts (every one present, zero when nothing was found), and
 * the first few problems described for a reader, so a failed run says where to look.
 */
final class AuditReport {
    static final String MATCHES_FINISHED = "matchesFinished";
    static final String MATCHES_STORED = "matchesStored";
    static final String LOST = "lost";
    static final String NOT_ON_LEADERBOARDS = "matchesNotOnLeaderboards";
    static final String DUPLICATED = "duplicated";
    static final String ANSWERS_ACKNOWLEDGED = "answersAcknowledged";
    static final String ANSWERS_STORED = "answersStored";
    static final String ANSWERS_MISSING = "answersMissing";
    static final String ANSWERS_UNEXPECTED = "answersUnexpected";
    static final String LEADERBOARD_PLAYERS_CHECKED = "leaderboardPlayersChecked";
    static final String LEADERBOARD_MISMATCHES = "leaderboardMismatches";
    static final String STATS_MISMATCHES = "statsMismatches";
    static final String SETTLE_SECONDS = "settleSeconds";
    static final String EXAMPLES = "examples";

    static final int MAX_EXAMPLES = 10;

    private static final List<String> COUNTS = List.of(MATCHES_FINISHED, MATCHES_STORED, LOST, NOT_ON_LEADERBOARDS,
        DUPLICATED, ANSWERS_ACKNOWLEDGED, ANSWERS_STORED, ANSWERS_MISSING, ANSWERS_UNEXPECTED,
        LEADERBOARD_PLAYERS_CHECKED, LEADERBOARD_MISMATCHES, STATS_MISMATCHES);

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final List<String> examples = new ArrayList<>();

    AuditReport() {
        COUNTS.forEach(name -> counts.put(name, 0L));
    }

    void add(String count, long amount) {
        counts.merge(count, amount, Long::sum);
    }

    /** Counts one problem under {@code count}, and keeps its description if there is room. */
    void problem(String count, String description) {
        problem(count, 1, description);
    }

    /** Counts {@code amount} under {@code count}, and keeps the description if there is room. */
    void problem(String count, long amount, String description) {
        add(count, amount);
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(description);
        }
    }

    JsonObject toJson(double settleSeconds) {
        JsonObject json = new JsonObject();
        counts.forEach(json::put);
        return json.put(SETTLE_SECONDS, settleSeconds).put(EXAMPLES, new JsonArray(examples));
    }
}
