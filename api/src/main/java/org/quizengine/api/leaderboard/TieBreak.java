package org.quizengine.api.leaderboard;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * How equal totals are ordered: a board member is {@code <13 digits>:<user id>}, the digits being
 * {@link #LATEST_MILLIS} minus the epoch millisecond at which the player reached their total, and
 * the sorted-set score is the total itself (exact in a double up to 2^53).
 *
 * <p>Redis orders equal scores by member, and {@code ZREVRANGE} in reverse: the larger the digits,
 * the earlier the moment, the higher the rank. Ranks are therefore distinct; two players who reached
 * the same total in the same millisecond are ordered by user id (descending, as text). The moment a
 * player reaches a total is the {@code finished_at} of the last match that brought them points
 * (of their first match if they have none), which PostgreSQL can tell as well as Redis.
 */
public final class TieBreak {
    /** The latest moment that fits in 13 digits, in 2286. */
    public static final long LATEST_MILLIS = 9_999_999_999_999L;
    static final int DIGITS = 13;

    private TieBreak() {
    }

    /** The member of {@code userId} having reached their total at {@code reachedAt}. */
    public static String member(UUID userId, Instant reachedAt) {
        return prefix(reachedAt.toEpochMilli()) + userId;
    }

    /** The part of a member before the user id, for a total reached at {@code epochMillis}. */
    static String prefix(long epochMillis) {
        if (epochMillis < 0 || epochMillis > LATEST_MILLIS) {
            throw new IllegalArgumentException("A leaderboard time must be between 1970 and 2286, was " + epochMillis);
        }
        return String.format(Locale.ROOT, "%013d:", LATEST_MILLIS - epochMillis);
    }

    public static UUID userId(String member) {
        return UUID.fromString(member.substring(DIGITS + 1));
    }

    public static Instant reachedAt(String member) {
        return Instant.ofEpochMilli(LATEST_MILLIS - Long.parseLong(member.substring(0, DIGITS)));
    }
}
