package org.quizengine.bench.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

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
    /** The matches counted lost or duplicated, so a chaos run can tell which fault each belongs to. */
    static final String LOST_MATCH_IDS = "lostMatchIds";
    static final String DUPLICATED_MATCH_IDS = "duplicatedMatchIds";

    static final int MAX_EXAMPLES = 10;

    private static final List<String> COUNTS = List.of(MATCHES_FINISHED, MATCHES_STORED, LOST, NOT_ON_LEADERBOARDS,
        DUPLICATED, ANSWERS_ACKNOWLEDGED, ANSWERS_STORED, ANSWERS_MISSING, ANSWERS_UNEXPECTED,
        LEADERBOARD_PLAYERS_CHECKED, LEADERBOARD_MISMATCHES, STATS_MISMATCHES);

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final List<String> examples = new ArrayList<>();
    private final Set<UUID> lostMatches = new TreeSet<>();
    private final Set<UUID> duplicatedMatches = new TreeSet<>();

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

    /** A match finished but not stored: counted lost, and named. */
    void lostMatch(UUID matchId, String description) {
        problem(LOST, description);
        lostMatches.add(matchId);
    }

    /** A match with something stored twice (the match, a player of it, an answer): counted, and the match named. */
    void duplicatedIn(UUID matchId, String description) {
        problem(DUPLICATED, description);
        duplicatedMatches.add(matchId);
    }

    JsonObject toJson(double settleSeconds) {
        JsonObject json = new JsonObject();
        counts.forEach(json::put);
        return json.put(SETTLE_SECONDS, settleSeconds).put(EXAMPLES, new JsonArray(examples))
            .put(LOST_MATCH_IDS, ids(lostMatches)).put(DUPLICATED_MATCH_IDS, ids(duplicatedMatches));
    }

    private static JsonArray ids(Set<UUID> matchIds) {
        return new JsonArray(matchIds.stream().map(UUID::toString).toList());
    }
}
