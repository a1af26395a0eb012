package org.quizengine.api.leaderboard;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The kinds of leaderboard: all time, an ISO week (Monday 00:00 UTC to the next) and a day
 * (00:00 UTC to the next). A match counts in the week and the day in which it finished; which
 * board that is follows from the instant alone ({@link LeaderboardKeys#boardId}), so boards roll
 * over by themselves at the boundary.
 */
public enum Period {
    ALL(Duration.ZERO),
    /** Kept 8 days after the week ends: "previous week" for the whole next week, plus a day. */
    WEEK(Duration.ofDays(8)),
    /** Kept 2 days after the day ends: "previous day" for the whole next day, plus a day. */
    DAY(Duration.ofDays(2));

    private final Duration retention;

    Period(Duration retention) {
        this.retention = retention;
    }

    /** The id of this period's board that contains {@code at}. */
    public String boardId(Instant at) {
        return LeaderboardKeys.boardId(this, at);
    }

    /** The start of the period that contains {@code at}; {@code null} for all time. */
    public Instant start(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        LocalDate start = switch (this) {
            case ALL -> null;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case DAY -> day;
        };
        return start == null ? null : start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The (exclusive) end of the period that contains {@code at}; {@code null} for all time. */
    public Instant end(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        LocalDate end = switch (this) {
            case ALL -> null;
            case WEEK -> day.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
            case DAY -> day.plusDays(1);
        };
        return end == null ? null : end.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * When the board that contains {@code at} may be deleted: its period's end plus the retention;
     * {@code null} for the all-time board, which is kept for ever.
     */
    public Instant expiresAt(Instant at) {
        Instant end = end(at);
        return end == null ? null : end.plus(retention);
    }
}
