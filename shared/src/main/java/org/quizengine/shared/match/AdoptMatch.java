package org.quizengine.shared.match;

import java.util.UUID;

/**
 * Asks a node to take over a live match from its replicated copy (its owner is gone or draining).
 *
 * @param replicated the replicated record exactly as read; the take-over succeeds only if it is still that
 */
public record AdoptMatch(UUID matchId, String replicated) {
}
