package org.quizengine.engine.bus;

import io.vertx.core.buffer.Buffer;
import org.quizengine.shared.protocol.ServerFrame;

/**
 * Carries a {@link ServerFrame} (a match's reply to a command) between nodes as its type, match and
 * UTF-8 text, as is: the gateway sends those bytes to the player's socket without decoding them.
 */
final class ServerFrameCodec extends ImmutableCodec<ServerFrame> {
    ServerFrameCodec() {
        super("quiz:server-frame");
    }

    static void append(Buffer buffer, ServerFrame frame) {
        Binary.appendString(buffer, frame.type());
        Binary.appendUuid(buffer, frame.matchId());
        Binary.appendBytes(buffer, frame.utf8());
    }

    static ServerFrame read(Binary.Reader in) {
        return new ServerFrame(in.readString(), in.readUuid(), in.readBytes());
    }

    @Override
    public void encodeToWire(Buffer buffer, ServerFrame frame) {
        append(buffer, frame);
    }

    @Override
    public ServerFrame decodeFromWire(int pos, Buffer buffer) {
        return read(new Binary.Reader(buffer, pos));
    }
}
