package org.quizengine.api.history;

import java.time.Instant;

/**
 * Which finished matches a history page may contain: those that finished at or after {@code from}
 * and before {@code to} (half-open, so consecutive ranges never overlap). Either end may be
 * {@code null}, meaning unbounded.
 */
public record HistoryRange(Instant from, Instant to) {
    /** Every match. */
    public static final HistoryRange ALL = new HistoryRange(null, null);

    public HistoryRange {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }
}
