package org.quizengine.bench.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How long after a store came back the results of the matches that finished while it was away
 * landed: in PostgreSQL and applied to the Redis boards, both, as the {@link ResultWatch} first saw
 * them. A match seen finished shortly before the outage counts too: its write may have been cut.
 */
final class LateResults {
    /** A match seen finished this long before the outage may still have been writing when it began. */
    static final long IN_FLIGHT_MILLIS = 1_000;
    private static final int EXAMPLES = 5;

    private LateResults() {
    }

    /**
     * {@code results}: matches finished in the outage; {@code storedWithinLimit}, {@code late} (landed
     * later than {@link ChaosReport#STORED_AFTER_RECOVERY_LIMIT_MILLIS} after the return) and
     * {@code notStored} (not seen landed at all); {@code delayAfterRecoveryMs}: percentiles of the
     * landed ones' delay after the return (0 for one that landed before it); {@code lateExamples}.
     */
    static JsonObject of(Fault outage, Map<UUID, Long> finishedAt, Map<UUID, Long> storedAt) {
        List<Long> delays = new ArrayList<>();
        JsonArray examples = new JsonArray();
        long results = 0;
        long late = 0;
        long notStored = 0;
        for (Map.Entry<UUID, Long> match : finishedAt.entrySet()) {
            long finished = match.getValue();
            if (finished < outage.startMillis() - IN_FLIGHT_MILLIS || finished > outage.recoveredMillis()) {
                continue;
            }
            results++;
            Long stored = storedAt.get(match.getKey());
            if (stored == null) {
                notStored++;
                example(examples, "match " + match.getKey() + " finished during the outage, not stored by the end of the run");
                continue;
            }
            long delay = Math.max(0, stored - outage.recoveredMillis());
            delays.add(delay);
            if (delay > ChaosReport.STORED_AFTER_RECOVERY_LIMIT_MILLIS) {
                late++;
                example(examples, "match " + match.getKey() + " stored " + delay + " ms after the store came back");
            }
        }
        return new JsonObject().put("results", results).put("storedWithinLimit", results - late - notStored)
            .put("late", late).put("notStored", notStored)
            .put("delayAfterRecoveryMs", ChaosReport.percentiles(delays)).put("lateExamples", examples);
    }

    private static void example(JsonArray examples, String text) {
        if (examples.size() < EXAMPLES) {
            examples.add(text);
        }
    }
}
