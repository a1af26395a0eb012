package org.quizengine.engine.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the gateway hold a player's socket's flushes while a match step's frames are written, so
 * that they leave in one system call and one packet: with no reveal pause, the reveal and the next
 * question. Vert.x flushes every frame written outside a read at once; a profile at 10,000 players
 * had a third of the node's CPU in those {@code send} calls. A hold lasts from the step's first
 * delivery to its last, which this node's matches queue back to back; whatever else is written to
 * the socket in between (a reply to a read, a pong) leaves with them.
 *
 * <p>Held and released on the socket's event loop only: a socket on another loop than the gateway's
 * is not held, and its frames are flushed as Vert.x writes them.
 */
final class HeldFlushes extends ChannelOutboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HeldFlushes.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /** Stands in where the socket's channel could not be reached: holds nothing. */
    static final HeldFlushes NONE = new HeldFlushes();

    private ChannelHandlerContext context;
    private boolean held;
    private boolean flushWanted;

    private HeldFlushes() {
    }

    /** Installs one on the socket that {@code upgraded} (its HTTP connection) became. */
    static HeldFlushes install(HttpConnection upgraded) {
        // Vert.x 5.0's server connection class: the WebSocket the router hands over wraps Vert.x's own,
        // which has no public way to its channel, but the socket is the connection's channel.
        if (!(upgraded instanceof HttpServerConnection connection)) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("Cannot reach the channel of {}: its frames are flushed one by one "
                    + "(logged once)", upgraded.getClass().getName());
            }
            return NONE;
        }
        HeldFlushes flushes = new HeldFlushes();
        connection.channelHandlerContext().pipeline().addFirst(flushes);
        return flushes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    /** Holds the flushes from now until {@link #release}; true if this call started holding them. */
    boolean hold() {
        if (held || context == null || !context.executor().inEventLoop()) {
            return false;
        }
        held = true;
        return true;
    }

    /** Flushes what was held, if anything wanted a flush meanwhile. */
    void release() {
        held = false;
        if (flushWanted) {
            flushWanted = false;
            context.flush();
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (held) {
            flushWanted = true;
        } else {
            ctx.flush();
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        release(); // what was written before the close goes out before it
        ctx.close(promise);
    }
}
