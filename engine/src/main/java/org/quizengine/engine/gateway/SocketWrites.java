package org.quizengine.engine.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.internal.OutOfDirectMemoryError;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's hand on one socket's channel, for two things Vert.x's WebSocket API makes dear at
 * load. Used on the socket's event loop only; elsewhere it does nothing and Vert.x's API is used.
 *
 * <p><b>Held flushes.</b> The gateway holds a socket's flushes while a match step's frames are
 * written, so that they leave in one system call and one packet: with no reveal pause, the reveal
 * and the next question. Vert.x flushes every frame written outside a read at once; a profile at
 * 10,000 players had a third of the node's CPU in those {@code send} calls. A hold lasts from the
 * step's first delivery to its last, which this node's matches queue back to back; whatever else
 * is written to the socket in between (a reply to a read, a pong) leaves with them. What is written
 * during a read leaves at the read's end, as Vert.x has it.
 *
 * <p><b>Direct writes.</b> A text message is written to the channel as the bytes of its frames
 * ({@link TextMessageFrames}), past Vert.x's write queue and Netty's frame encoder. Vert.x puts
 * every message it writes in the socket's queue, even on the socket's own loop, and hands it on
 * wrapped three times with a promise; the queue's array lives as long as the socket, so every
 * message also leaves the garbage collector a card to scan (benchmarks/RESULTS.md, session 13).
 * Only where the frames' order stays the order they were written in: when the node has one event
 * loop (every writer of a socket is then on the socket's loop) and no WebSocket compression (whose
 * frames only Vert.x's encoder makes), and on a channel with no TLS or idle-time handler (which these
 * writes, from the head of the pipeline, would pass by). Vert.x still writes what it writes itself (a
 * pong, the close frame); the gateway writes nothing after it closes a socket. A write that fails
 * (the socket is gone) fails quietly, as Vert.x's own do: the socket's close tells the gateway.
 */
final class SocketWrites extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SocketWrites.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /** Stands in where the socket's channel could not be reached: holds and writes nothing. */
    static final SocketWrites NONE = new SocketWrites(false);

    private final boolean direct;
    private ChannelHandlerContext context;
    /** For direct writes: one promise for all, which reports no failure (Vert.x's writes report none either). */
    private ChannelPromise quietPromise;
    private boolean held;
    /** In a read: what is written in it leaves at the read's end, in one flush, as Vert.x does. */
    private boolean reading;
    private boolean flushWanted;

    SocketWrites(boolean direct) {
        this.direct = direct;
    }

    /**
     * Installs one on the socket that {@code upgraded} (its HTTP connection) became.
     *
     * @param direct whether text messages may be written to the channel directly (see above)
     */
    static SocketWrites install(HttpConnection upgraded, boolean direct) {
        // Vert.x 5.0's server connection class: the WebSocket the router hands over wraps Vert.x's own,
        // which has no public way to its channel, but the socket is the connection's channel.
        if (!(upgraded instanceof HttpServerConnection connection)) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("Cannot reach the channel of {}: its frames are written and flushed by Vert.x one by one "
                    + "(logged once)", upgraded.getClass().getName());
            }
            return NONE;
        }
        ChannelPipeline pipeline = connection.channelHandlerContext().pipeline();
        SocketWrites writes = new SocketWrites(direct && pipeline.get(SslHandler.class) == null
            && pipeline.get(IdleStateHandler.class) == null);
        pipeline.addFirst(writes);
        return writes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        quietPromise = new VoidChannelPromise(ctx.channel(), false);
    }

    /** Holds the flushes from now until {@link #release}; true if this call started holding them. */
    boolean hold() {
        if (held || context == null || !context.executor().inEventLoop()) {
            return false;
        }
        held = true;
        return true;
    }

    /** Flushes what was held, if anything wanted a flush meanwhile (at the read's end, in a read). */
    void release() {
        held = false;
        flushIfWanted();
    }

    private void flushIfWanted() {
        if (flushWanted && !held && !reading) {
            flushWanted = false;
            context.flush();
        }
    }

    /**
     * Writes {@code utf8} as one text message, in frames of at most {@code maxFrameBytes}, straight to
     * the channel, and flushes it unless flushes are held or a read is under way.
     *
     * @return false, having written nothing, where it may not: direct writes off, or off the socket's
     *     loop, or a channel that is no longer open
     */
    boolean writeText(byte[] utf8, int maxFrameBytes) {
        if (!direct || context == null || !context.executor().inEventLoop() || !context.channel().isActive()) {
            return false;
        }
        ByteBuf frames;
        try {
            frames = TextMessageFrames.encode(context.alloc(), utf8, maxFrameBytes);
        } catch (OutOfDirectMemoryError e) {
            return false; // Vert.x's way, which needs no direct buffer of its own until Netty writes it
        }
        // From this handler, the first after the pipeline's head: to the socket, past every encoder.
        context.write(frames, quietPromise);
        flushWanted = true;
        flushIfWanted();
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        flushIfWanted();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (held || reading) {
            flushWanted = true;
        } else {
            ctx.flush();
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        // What was written before the close goes out before it, held or in a read.
        held = false;
        flushWanted = false;
        ctx.flush();
        ctx.close(promise);
    }
}
