package org.quizengine.engine.matchmaking;

import io.vertx.core.Future;
import java.util.UUID;

/** Which live match a player is in, anywhere in the cluster: the matchmaker places nobody who plays already. */
@FunctionalInterface
public interface LiveMatches {
    /** The player's live match, or {@code null}; a failed Future when it cannot be told now. */
    Future<UUID> matchOf(UUID player);

    /** Nobody plays anywhere (for a matchmaker tested alone). */
    static LiveMatches none() {
        return player -> Future.succeededFuture(null);
    }
}
