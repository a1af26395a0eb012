package org.quizengine.bench.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.quizengine.api.leaderboard.Period;

/**
 * What the leaderboards and the lifetime stats should say about some players, summed from their
 * stored {@code match_players} rows.
 *
 * <p>Rows come in per user and UTC day: a day lies in exactly one day board and one week board, so
 * that is fine enough to file each score under the board its match went to. The board ids come
 * from {@link Period}, as the engine's do, so a match finished just before midnight on a Sunday
 * counts in last week's board, not in this one.
 */
final class PlayerTotals {
    private final Map<String, Map<UUID, Long>> scoreByBoard = new HashMap<>();
    /** When Redis deletes each week and day board; the all-time board is never deleted. */
    private final Map<String, Instant> boardExpiry = new HashMap<>();
    private final Map<UUID, Long> matchesPlayed = new HashMap<>();
    private final Map<UUID, Long> totalScore = new HashMap<>();

    /** Adds {@code matches} of {@code userId} that finished on {@code day} (UTC) and scored {@code score} in all. */
    void add(UUID userId, LocalDate day, long matches, long score) {
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        for (Period period : Period.values()) {
            String board = period.boardId(dayStart);
            scoreByBoard.computeIfAbsent(board, key -> new HashMap<>()).merge(userId, score, Long::sum);
            Instant expiry = period.expiresAt(dayStart);
            if (expiry != null) {
                boardExpiry.put(board, expiry);
            }
        }
        matchesPlayed.merge(userId, matches, Long::sum);
        totalScore.merge(userId, score, Long::sum);
    }

    /**
     * The boards worth comparing at {@code now}: the current all-time, week and day boards (a player
     * with no match there must be absent from them), and every other board a stored match went to,
     * unless its retention is over and Redis has deleted it, as designed.
     */
    Set<String> boardsAt(Instant now) {
        Set<String> boards = new TreeSet<>();
        for (Period period : Period.values()) {
            boards.add(period.boardId(now));
        }
        for (String board : scoreByBoard.keySet()) {
            Instant expiry = boardExpiry.get(board);
            if (expiry == null || expiry.isAfter(now)) {
                boards.add(board);
            }
        }
        return boards;
    }

    long score(String board, UUID userId) {
        return scoreByBoard.getOrDefault(board, Map.of()).getOrDefault(userId, 0L);
    }

    long matchesPlayed(UUID userId) {
        return matchesPlayed.getOrDefault(userId, 0L);
    }

    long totalScore(UUID userId) {
        return totalScore.getOrDefault(userId, 0L);
    }
}
