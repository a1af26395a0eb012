package org.quizengine.engine.gateway;

import io.vertx.core.Future;
import java.util.UUID;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.protocol.ServerFrame;

/**
 * The matches played on this node, asked without the event bus. A request and its reply through the
 * bus cost a message each way, a reply address and a timer: at 10,000 players, about 6 % of the
 * node's CPU samples outside system calls and a tenth of its allocation (benchmarks/RESULTS.md,
 * session 11). Only a match that is not replicated (on a node that is not clustered) is asked this
 * way; a replicated one's requests keep the bus's timeout, which bounds a reply that waits on
 * replication.
 */
@FunctionalInterface
public interface MatchesHere {
    /** The match's answer, or null when it is not played here or is replicated (the request then goes over the bus). */
    Future<ServerFrame> ask(UUID matchId, MatchCommand command);
}
