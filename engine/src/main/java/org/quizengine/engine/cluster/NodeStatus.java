package org.quizengine.engine.cluster;

import java.util.List;

/**
 * What each node reports about itself every second: its load, for placement and for operators, and
 * what it believes about the cluster (whether it runs the matchmaker, which members it sees), so an
 * operator can tell at once when two nodes disagree: a split brain.
 */
public record NodeStatus(String nodeId, int liveMatches, int players, long reportedAt, boolean runsMatchmaker,
                         List<String> members) {

    public NodeStatus {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
