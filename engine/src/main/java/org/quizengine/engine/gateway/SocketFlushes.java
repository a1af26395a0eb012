package org.quizengine.engine.gateway;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * A player's socket is flushed once per turn of its event loop, not once per frame. One step of a
 * match hands the gateway its frames as separate messages (the acknowledgement of the last answer,
 * the reveal, the next question), and Vert.x flushes every frame written outside a read at once: a
 * {@code send} system call each, a third of the node's CPU in a profile at 10,000 players. Netty's
 * flush consolidation defers the flush to a task queued behind the messages already waiting, so the
 * frames of one step leave together. Measured at 10,000 players: 3.3 send calls per answer before,
 * 2.1 after (benchmarks/RESULTS.md, "session 7").
 */
final class SocketFlushes {
    /** Flushes one socket may defer in one turn; at this many it is flushed at once. */
    private static final int MAX_DEFERRED = 256;

    private SocketFlushes() {
    }

    /** Consolidates the flushes of the WebSocket that {@code upgraded} (its HTTP connection) became. */
    static void consolidate(HttpConnection upgraded) {
        // Vert.x 5.0's server connection class: the WebSocket the router hands over wraps Vert.x's own,
        // which has no public way to its channel, but the socket is the connection's channel.
        ((HttpServerConnection) upgraded).channelHandlerContext().pipeline()
            .addFirst(new FlushConsolidationHandler(MAX_DEFERRED, true));
    }
}
