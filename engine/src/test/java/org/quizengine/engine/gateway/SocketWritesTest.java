package org.quizengine.engine.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * When the frames a socket is written leave it: at once, at the end of a held match step, at the
 * end of a read, and before a close, on a real Netty pipeline (an embedded channel, whose loop is
 * the test's thread).
 */
class SocketWritesTest {
    private static final byte[] HELLO = "{\"type\":\"pong\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aFrameWrittenOutsideAStepOrAReadLeavesAtOnce() {
        SocketWrites writes = new SocketWrites(true);
        EmbeddedChannel channel = new EmbeddedChannel(writes);

        assertThat(writes.writeText(HELLO, 65_536)).isTrue();

        assertThat(sent(channel)).isEqualTo("\u0081\u000f{\"type\":\"pong\"}");
    }

    @Test
    void framesOfAHeldStepLeaveTogetherAtItsRelease() {
        SocketWrites writes = new SocketWrites(true);
        EmbeddedChannel channel = new EmbeddedChannel(writes);

        assertThat(writes.hold()).isTrue();
        writes.writeText(HELLO, 65_536);
        writes.writeText(HELLO, 65_536);
        assertThat((Object) channel.readOutbound()).as("nothing before the release").isNull();
        writes.release();

        assertThat(sent(channel)).isEqualTo("\u0081\u000f{\"type\":\"pong\"}");
        assertThat(sent(channel)).as("the second frame, in the same flush").isEqualTo("\u0081\u000f{\"type\":\"pong\"}");
    }

    @Test
    void whatIsWrittenDuringAReadLeavesAtTheReadsEnd() {
        SocketWrites writes = new SocketWrites(true);
        boolean[] sentDuringRead = new boolean[1];
        EmbeddedChannel channel = new EmbeddedChannel(writes, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                writes.writeText(HELLO, 65_536);
                sentDuringRead[0] = ((EmbeddedChannel) ctx.channel()).outboundMessages().size() > 0;
            }
        });

        channel.pipeline().fireChannelRead("a frame");
        assertThat(sentDuringRead[0]).as("flushed during the read").isFalse();
        assertThat((Object) channel.readOutbound()).isNull();
        channel.pipeline().fireChannelReadComplete();

        assertThat(sent(channel)).isEqualTo("\u0081\u000f{\"type\":\"pong\"}");
    }

    @Test
    void aCloseSendsWhatWasHeldFirst() {
        SocketWrites writes = new SocketWrites(true);
        EmbeddedChannel channel = new EmbeddedChannel(writes);
        writes.hold();
        writes.writeText(HELLO, 65_536);

        channel.close();

        assertThat(sent(channel)).isEqualTo("\u0081\u000f{\"type\":\"pong\"}");
    }

    @Test
    void withoutDirectWritesNothingIsWrittenAndTheCallerUsesVertx() {
        SocketWrites writes = new SocketWrites(false);
        EmbeddedChannel channel = new EmbeddedChannel(writes);

        assertThat(writes.writeText(HELLO, 65_536)).isFalse();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aWriteToAClosedChannelIsLeftToVertx() {
        SocketWrites writes = new SocketWrites(true);
        EmbeddedChannel channel = new EmbeddedChannel(writes);
        channel.close();

        assertThat(writes.writeText(HELLO, 65_536)).isFalse();
    }

    /** The next buffer flushed to the socket, as ISO-8859-1 text (header bytes included). */
    private static String sent(EmbeddedChannel channel) {
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("a flushed frame").isNotNull();
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }
}
