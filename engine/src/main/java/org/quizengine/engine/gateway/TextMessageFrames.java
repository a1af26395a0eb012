package org.quizengine.engine.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A text message as the bytes of the WebSocket frames a server sends (RFC 6455, section 5.2): not
 * masked, and split, as Vert.x splits what it writes, into frames of at most the size it is given
 * (the node's hard message limit, Vert.x's frame size too): a first text frame, then
 * continuations, the last with FIN set.
 */
final class TextMessageFrames {
    private static final int FIN = 0x80;
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;

    private TextMessageFrames() {
    }

    /** The frames of {@code utf8} (valid UTF-8, not checked), in one buffer from {@code alloc}. */
    static ByteBuf encode(ByteBufAllocator alloc, byte[] utf8, int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("frames must hold at least a byte: " + maxFrameBytes);
        }
        int frames = Math.max(1, (utf8.length + maxFrameBytes - 1) / maxFrameBytes);
        int size = 0;
        for (int frame = 0; frame < frames; frame++) {
            int length = Math.min(maxFrameBytes, utf8.length - frame * maxFrameBytes);
            size += headerBytes(length) + length;
        }
        ByteBuf out = alloc.ioBuffer(size, size);
        for (int frame = 0; frame < frames; frame++) {
            int offset = frame * maxFrameBytes;
            int length = Math.min(maxFrameBytes, utf8.length - offset);
            out.writeByte((frame == frames - 1 ? FIN : 0) | (frame == 0 ? TEXT : CONTINUATION));
            if (length < 126) {
                out.writeByte(length);
            } else if (length <= 0xFFFF) {
                out.writeByte(126);
                out.writeShort(length);
            } else {
                out.writeByte(127);
                out.writeLong(length);
            }
            out.writeBytes(utf8, offset, length);
        }
        return out;
    }

    private static int headerBytes(int length) {
        return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    }
}
