package org.quizengine.engine.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import org.quizengine.shared.protocol.ServerFrame;

/**
 * Carries a {@link ServerFrame} (a match's reply to a command) between nodes as its type, match and
 * text, as is: the gateway sends the text to the player's socket without decoding it.
 */
final class ServerFrameCodec implements MessageCodec<ServerFrame, ServerFrame> {

    static void append(Buffer buffer, ServerFrame frame) {
        Binary.appendString(buffer, frame.type());
        Binary.appendUuid(buffer, frame.matchId());
        Binary.appendString(buffer, frame.text());
    }

    static ServerFrame read(Binary.Reader in) {
        return new ServerFrame(in.readString(), in.readUuid(), in.readString());
    }

    @Override
    public void encodeToWire(Buffer buffer, ServerFrame frame) {
        append(buffer, frame);
    }

    @Override
    public ServerFrame decodeFromWire(int pos, Buffer buffer) {
        return read(new Binary.Reader(buffer, pos));
    }

    @Override
    public ServerFrame transform(ServerFrame frame) {
        return frame; // immutable: safe to hand over as is
    }

    @Override
    public String name() {
        return "quiz:server-frame";
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
