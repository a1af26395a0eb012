package org.quizengine.shared.match;

import java.util.UUID;

/**
 * Asks a node to take over a live match from its replicated record (its owner is gone or draining).
 *
 * @param owner the owner the record named when it was handed over
 * @param epoch the epoch the record had then: the take-over succeeds only if the record still has both
 */
public record AdoptMatch(UUID matchId, String owner, long epoch) {
}
