package org.quizengine.engine.bus;

import io.vertx.core.buffer.Buffer;
import org.quizengine.shared.match.MatchCommand;

/**
 * Carries a {@link MatchCommand} between nodes in a few dozen bytes (a kind, the player's id and the
 * command's fields) rather than as JSON: every answer of a player whose socket is on another node
 * than their match's crosses the event bus this way. One instance per concrete command.
 */
final class MatchCommandCodec extends ImmutableCodec<MatchCommand> {
    private static final byte ANSWER = 1;
    private static final byte ATTACH = 2;
    private static final byte DETACH = 3;
    private static final byte LEAVE = 4;

    MatchCommandCodec(Class<?> concrete) {
        super("quiz:" + concrete.getName());
    }

    @Override
    public void encodeToWire(Buffer buffer, MatchCommand command) {
        if (command instanceof MatchCommand.SubmitAnswer answer) {
            buffer.appendByte(ANSWER);
            Binary.appendUuid(buffer, answer.userId());
            buffer.appendInt(answer.index()).appendInt(answer.option()).appendByte((byte) (answer.resent() ? 1 : 0));
        } else if (command instanceof MatchCommand.Attach attach) {
            buffer.appendByte(ATTACH);
            Binary.appendUuid(buffer, attach.userId());
            Binary.appendString(buffer, attach.nodeId());
            Binary.appendString(buffer, attach.connectionId());
        } else if (command instanceof MatchCommand.Detach detach) {
            buffer.appendByte(DETACH);
            Binary.appendUuid(buffer, detach.userId());
            Binary.appendString(buffer, detach.connectionId());
        } else if (command instanceof MatchCommand.Leave leave) {
            buffer.appendByte(LEAVE);
            Binary.appendUuid(buffer, leave.userId());
        } else {
            throw new IllegalArgumentException("Unknown match command " + command);
        }
    }

    @Override
    public MatchCommand decodeFromWire(int pos, Buffer buffer) {
        Binary.Reader in = new Binary.Reader(buffer, pos);
        byte kind = in.readByte();
        return switch (kind) {
            case ANSWER -> new MatchCommand.SubmitAnswer(in.readUuid(), in.readInt(), in.readInt(), in.readBoolean());
            case ATTACH -> new MatchCommand.Attach(in.readUuid(), in.readString(), in.readString());
            case DETACH -> new MatchCommand.Detach(in.readUuid(), in.readString());
            case LEAVE -> new MatchCommand.Leave(in.readUuid());
            default -> throw new IllegalArgumentException("Unknown match command kind " + kind);
        };
    }
}
