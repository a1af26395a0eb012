package org.quizengine.api.leaderboard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.Locale;
import java.util.UUID;

/**
 * Every Redis key the leaderboards use, named in this one place (the Lua scripts get their
 * prefixes from here too), so a feature that must touch every board, such as removing a player,
 * finds them all:
 *
 * <ul>
 *   <li>{@code lb:boards}: a set of the ids of the boards that exist, e.g. {@code all},
 *       {@code week:2026-W48}, {@code day:2026-11-30};
 *   <li>{@code lb:board:<id>}: the board, a sorted set of {@link TieBreak} members scored by points;
 *   <li>{@code lb:members:<id>}: a hash from user id to that user's current member on the board;
 *   <li>{@code lb:applied:<matchId>}: a match's result has been added to the boards;
 *   <li>{@code lb:rebuild:active} and {@code lb:rebuild:<rebuildId>:*}: a rebuild under way (its
 *       journal, bookkeeping sets and boards being built).
 * </ul>
 */
public final class LeaderboardKeys {
    public static final String PREFIX = "lb:";
    public static final String BOARD_PREFIX = PREFIX + "board:";
    public static final String MEMBERS_PREFIX = PREFIX + "members:";
    public static final String APPLIED_PREFIX = PREFIX + "applied:";
    public static final String REGISTRY = PREFIX + "boards";
    public static final String REBUILD_LOCK = PREFIX + "rebuild:active";
    /**
     * Players taken off the boards (deleted accounts): a sorted set of user ids by when, kept as long
     * as a result may still arrive late, so neither a late result nor a rebuild brings them back.
     */
    public static final String REMOVED = PREFIX + "removed";

    private LeaderboardKeys() {
    }

    /**
     * The id of the board of {@code period} that contains {@code at}: {@code all},
     * {@code week:2026-W48}, {@code day:2026-11-30}.
     */
    public static String boardId(Period period, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return switch (period) {
            case ALL -> "all";
            case WEEK -> String.format(Locale.ROOT, "week:%d-W%02d",
                day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case DAY -> "day:" + day;
        };
    }

    /** The sorted set of board {@code boardId}. */
    public static String board(String boardId) {
        return BOARD_PREFIX + boardId;
    }

    /** The hash from user id to member of board {@code boardId}. */
    public static String members(String boardId) {
        return MEMBERS_PREFIX + boardId;
    }

    /** Exists while {@code matchId} counts as applied to the boards. */
    public static String appliedMarker(UUID matchId) {
        return APPLIED_PREFIX + matchId;
    }

    /** Everything of rebuild {@code rebuildId} lives under this prefix. */
    static String rebuildPrefix(String rebuildId) {
        return PREFIX + "rebuild:" + rebuildId + ":";
    }

    /** Results applied while rebuild {@code rebuildId} runs; also the value of {@link #REBUILD_LOCK}. */
    static String rebuildJournal(String rebuildId) {
        return rebuildPrefix(rebuildId) + "journal";
    }

    /** The recent matches the rebuild counted from PostgreSQL. */
    static String rebuildCounted(String rebuildId) {
        return rebuildPrefix(rebuildId) + "counted";
    }

    /** The counted matches that had no applied marker yet: the swap marks them. */
    static String rebuildUnmarked(String rebuildId) {
        return rebuildPrefix(rebuildId) + "unmarked";
    }

    /** The prefix of the boards being built: {@code <prefix><live key>}. */
    static String rebuildBoards(String rebuildId) {
        return rebuildPrefix(rebuildId) + "new:";
    }
}
