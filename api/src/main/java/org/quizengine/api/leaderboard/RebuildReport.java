package org.quizengine.api.leaderboard;

import java.util.List;

/**
 * What a {@link LeaderboardRebuild} wrote.
 *
 * @param boards               every board now live, with how many players it ranks
 * @param players              players on the all-time board
 * @param matches              finished matches counted from PostgreSQL
 * @param appliedDuringRebuild results the engine applied while the rebuild ran that PostgreSQL had
 *                             not shown it, added from the journal
 */
public record RebuildReport(List<BoardCount> boards, long players, long matches, long appliedDuringRebuild) {
    public RebuildReport {
        boards = List.copyOf(boards);
    }

    /** A rebuilt board: its id ({@code all}, {@code week:2026-W48}, {@code day:2026-11-30}) and size. */
    public record BoardCount(String board, long players) {
    }
}
