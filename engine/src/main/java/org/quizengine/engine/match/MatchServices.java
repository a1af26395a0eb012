package org.quizengine.engine.match;

import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.quizengine.engine.config.MatchOptions;
import org.quizengine.engine.metrics.GameMeters;

/**
 * What every match running on a node uses: the node's id, the cluster's copy of live matches, which
 * nodes are alive, the match settings, where results go, who plays where, the node's meters, and the clock.
 */
record MatchServices(String nodeId, Replication replication, Predicate<String> nodeAlive, MatchOptions options,
                     ResultSink results, ActivePlayers activePlayers, GameMeters meters, LongSupplier clock) {
}
