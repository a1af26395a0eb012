package org.quizengine.api.leaderboard;

import java.util.List;

/**
 * Consecutive lines of one board, read at one moment.
 *
 * @param total   how many players the board ranks
 * @param entries the lines, best first (empty past the end)
 */
public record BoardSlice(long total, List<LeaderboardEntry> entries) {
    public BoardSlice {
        entries = List.copyOf(entries);
    }
}
