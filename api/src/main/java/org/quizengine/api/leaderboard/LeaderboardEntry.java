package org.quizengine.api.leaderboard;

import java.time.Instant;
import java.util.UUID;

/**
 * A line of a leaderboard.
 *
 * @param rank      1-based position: by descending score, then by who reached it first (distinct ranks)
 * @param score     the sum of the player's match scores in the period
 * @param reachedAt when the player reached that score (see {@link TieBreak})
 */
public record LeaderboardEntry(int rank, UUID userId, long score, Instant reachedAt) {
}
