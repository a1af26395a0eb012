package org.quizengine.engine.matchmaking;

import java.util.UUID;

/** Chooses the node a new match runs on. */
@FunctionalInterface
public interface MatchPlacement {
    String chooseNode();

    /** An id for a new match that runs on {@code node}; any fresh id will do. */
    default UUID newMatchId(String node) {
        return UUID.randomUUID();
    }
}
