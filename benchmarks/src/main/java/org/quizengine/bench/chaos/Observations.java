package org.quizengine.bench.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a chaos run saw, gathered from the players (through their workers), the coordinator's
 * per-second readings, the result watch and the final store audit; {@link ChaosReport} turns it
 * into figures per fault. Filled by one thread, then read.
 */
public final class Observations {
    /** Per fault: players in a match it touched. */
    final Map<String, Integer> marked = new HashMap<>();
    /** Per fault: each touched player's time from the fault to hearing from its match again, ms. */
    final Map<String, List<Long>> recoveryMillis = new HashMap<>();
    final List<LostMatch> lost = new ArrayList<>();
    /** Per fault: recoveries over 3 s (for a freeze too, whose target adds its detection), or never finished (millis -1), each with the player's trace. */
    final Map<String, List<JsonObject>> slowRecoveries = new HashMap<>();
    /** Every match a player saw finish, with the first time one did (epoch ms). */
    final Map<UUID, Long> finishedAt = new HashMap<>();
    /** When the result watch first saw each watched match in PostgreSQL and on the boards (epoch ms). */
    final Map<UUID, Long> storedAt = new HashMap<>();
    /** When matches players were told {@code no_match} for finished, from their stored results (epoch ms). */
    final Map<UUID, Long> endedAt = new HashMap<>();
    final List<ErrorSample> errors = new ArrayList<>();
    final Set<UUID> auditLost = new HashSet<>();
    final Set<UUID> auditDuplicated = new HashSet<>();
    int socketsGivenUp;

    /**
     * A player was told {@code no_match} while it was in {@code matchId}, which it never saw finish.
     *
     * @param fault the fault it was recovering from, or null (then the fault whose stretch holds {@code atMillis})
     * @param trace what the player did and heard since the fault, when it was recovering from one; else null
     */
    public record LostMatch(UUID matchId, long atMillis, String fault, JsonArray trace) {
    }

    /** Error frames players received in the second before {@code atMillis}, by code. */
    public record ErrorSample(long atMillis, Map<String, Integer> byCode) {
    }

    public void marked(String fault, int players) {
        marked.merge(fault, players, Integer::sum);
    }

    public void recovered(String fault, long millis) {
        recoveryMillis.computeIfAbsent(fault, f -> new ArrayList<>()).add(millis);
    }

    public void slowRecovery(String fault, JsonObject slow) {
        slowRecoveries.computeIfAbsent(fault, f -> new ArrayList<>()).add(slow);
    }

    public void lost(LostMatch lostMatch) {
        lost.add(lostMatch);
    }

    /** Keeps the earliest time any player saw {@code matchId} finish. */
    public void finished(UUID matchId, long atMillis) {
        finishedAt.merge(matchId, atMillis, Math::min);
    }

    public void stored(UUID matchId, long atMillis) {
        storedAt.merge(matchId, atMillis, Math::min);
    }

    /** The matches players were told {@code no_match} for. */
    public Set<UUID> toldNoMatchFor() {
        Set<UUID> matches = new HashSet<>();
        lost.forEach(l -> matches.add(l.matchId()));
        return matches;
    }

    /** {@code matchId} finished at {@code atMillis}, as its stored result says. */
    public void ended(UUID matchId, long atMillis) {
        endedAt.put(matchId, atMillis);
    }

    public void errors(long atMillis, Map<String, Integer> byCode) {
        if (!byCode.isEmpty()) {
            errors.add(new ErrorSample(atMillis, Map.copyOf(byCode)));
        }
    }

    /** The final audit's lost and duplicated matches. */
    public void audited(Set<UUID> lostMatches, Set<UUID> duplicatedMatches) {
        auditLost.addAll(lostMatches);
        auditDuplicated.addAll(duplicatedMatches);
    }

    /** Players gave a silent socket up (no frame, not even a pong) and reconnected elsewhere. */
    public void socketsGivenUp(int count) {
        socketsGivenUp += count;
    }

    public Map<UUID, Long> finishedAt() {
        return finishedAt;
    }
}
