package org.quizengine.api.leaderboard;

import java.util.UUID;

/**
 * A line of a leaderboard.
 *
 * @param rank  1-based position by descending score (equal scores get consecutive positions)
 * @param score the sum of the player's match scores in the period
 */
public record LeaderboardEntry(int rank, UUID userId, long score) {
}
