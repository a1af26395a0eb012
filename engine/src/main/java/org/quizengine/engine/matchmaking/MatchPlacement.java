package org.quizengine.engine.matchmaking;

/** Chooses the node a new match runs on. */
@FunctionalInterface
public interface MatchPlacement {
    String chooseNode();
}
