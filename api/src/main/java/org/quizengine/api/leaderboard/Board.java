package org.quizengine.api.leaderboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The boards a client can read, by the name in the URL: {@code all}, {@code week}, {@code day},
 * {@code previous-week} and {@code previous-day}. Each is a {@link Period} board, the one that
 * contains now, or for the previous ones, now minus a week or a day (UTC has no daylight saving,
 * so that is always the previous ISO week or day).
 */
public enum Board {
    ALL(Period.ALL, Duration.ZERO),
    WEEK(Period.WEEK, Duration.ZERO),
    DAY(Period.DAY, Duration.ZERO),
    PREVIOUS_WEEK(Period.WEEK, Duration.ofDays(7)),
    PREVIOUS_DAY(Period.DAY, Duration.ofDays(1));

    private final Period period;
    private final Duration back;

    Board(Period period, Duration back) {
        this.period = period;
        this.back = back;
    }

    /** As it appears in URLs: {@code previous-week}. */
    public String pathName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Board> fromPath(String name) {
        return Arrays.stream(values()).filter(board -> board.pathName().equals(name)).findFirst();
    }

    public Period period() {
        return period;
    }

    /** An instant inside this board's period, as seen at {@code now}. */
    public Instant within(Instant now) {
        return now.minus(back);
    }

    /** The id of the board this is at {@code now}. */
    public String boardId(Instant now) {
        return period.boardId(within(now));
    }
}
