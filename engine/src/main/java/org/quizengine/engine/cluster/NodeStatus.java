package org.quizengine.engine.cluster;

/** What each node reports about itself every second: its load, for placement and for operators. */
public record NodeStatus(String nodeId, int liveMatches, int players, long reportedAt) {
}
