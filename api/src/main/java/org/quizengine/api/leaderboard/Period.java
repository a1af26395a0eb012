package org.quizengine.api.leaderboard;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The leaderboards: all time, this ISO week and today, by UTC. A match counts in the week and the
 * day in which it finished.
 */
public enum Period {
    ALL(Duration.ZERO),
    /** Kept 8 days after the week ends, so "last week" can still be read for a while. */
    WEEK(Duration.ofDays(8)),
    /** Kept 2 days after the day ends. */
    DAY(Duration.ofDays(2));

    static final String KEY_PREFIX = "lb:";

    private final Duration retention;

    Period(Duration retention) {
        this.retention = retention;
    }

    /**
     * The Redis key of this period's board that contains {@code at}: {@code lb:all},
     * {@code lb:week:2026-W47}, {@code lb:day:2026-11-22}.
     */
    public String key(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return switch (this) {
            case ALL -> KEY_PREFIX + "all";
            case WEEK -> String.format(Locale.ROOT, "%sweek:%d-W%02d", KEY_PREFIX,
                day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case DAY -> KEY_PREFIX + "day:" + day;
        };
    }

    /**
     * When the board that contains {@code at} may be deleted: its period's end plus the retention;
     * {@code null} for the all-time board, which is kept for ever.
     */
    public Instant expiresAt(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        LocalDate end = switch (this) {
            case ALL -> null;
            case WEEK -> day.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
            case DAY -> day.plusDays(1);
        };
        return end == null ? null : end.atStartOfDay(ZoneOffset.UTC).toInstant().plus(retention);
    }
}
