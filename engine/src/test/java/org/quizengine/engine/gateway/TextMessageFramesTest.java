package org.quizengine.engine.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bytes the gateway writes for a text message are the frames a WebSocket client reads: Netty's
 * own client-side decoder (which refuses masked frames from a server and checks every length form)
 * reads them back as the message, split as Vert.x splits it.
 */
class TextMessageFramesTest {

    @Test
    void everyLengthFormReadsBackAsOneFinalTextFrame() {
        for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 100_000}) {
            String text = "é".repeat(length / 2) + "x".repeat(length % 2);
            List<WebSocketFrame> frames = decode(text.getBytes(StandardCharsets.UTF_8), 1 << 20);

            assertThat(frames).as("%d bytes", length).hasSize(1);
            assertThat(frames.get(0)).isInstanceOf(TextWebSocketFrame.class);
            assertThat(frames.get(0).isFinalFragment()).isTrue();
            assertThat(((TextWebSocketFrame) frames.get(0)).text()).isEqualTo(text);
            frames.forEach(WebSocketFrame::release);
        }
    }

    @Test
    void aMessageOverTheFrameSizeIsSplitIntoContinuations() {
        String text = "{\"type\":\"reveal\",\"note\":\"" + "ab".repeat(20) + "\"}";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);

        List<WebSocketFrame> frames = decode(utf8, 30);

        assertThat(frames).hasSize((utf8.length + 29) / 30);
        assertThat(frames.get(0)).isInstanceOf(TextWebSocketFrame.class);
        StringBuilder whole = new StringBuilder();
        for (int i = 0; i < frames.size(); i++) {
            WebSocketFrame frame = frames.get(i);
            if (i > 0) {
                assertThat(frame).isInstanceOf(ContinuationWebSocketFrame.class);
            }
            assertThat(frame.isFinalFragment()).as("frame %d final", i).isEqualTo(i == frames.size() - 1);
            assertThat(frame.content().readableBytes()).isLessThanOrEqualTo(30);
            whole.append(frame.content().toString(StandardCharsets.UTF_8));
            frame.release();
        }
        assertThat(whole.toString()).isEqualTo(text);
    }

    private static List<WebSocketFrame> decode(byte[] utf8, int maxFrameBytes) {
        ByteBuf wire = TextMessageFrames.encode(ByteBufAllocator.DEFAULT, utf8, maxFrameBytes);
        assertThat(wire.readableBytes()).as("exactly the frames' size").isEqualTo(wire.capacity());
        // A client's decoder: a server's frames must not be masked.
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
        client.writeInbound(wire);
        List<WebSocketFrame> frames = new ArrayList<>();
        for (Object frame; (frame = client.readInbound()) != null; ) {
            frames.add((WebSocketFrame) frame);
        }
        assertThat(client.finish()).isFalse();
        return frames;
    }
}
