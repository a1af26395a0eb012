package org.quizengine.engine.bus;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.protocol.ServerFrame;

/**
 * Carries a {@link Delivery} between nodes as its recipients' ids and the frame's UTF-8 bytes, as
 * they are: the receiving node writes them to its sockets without decoding the event or encoding it
 * again. A last byte says whether more of the step follows.
 */
final class DeliveryCodec extends ImmutableCodec<Delivery> {
    DeliveryCodec() {
        super("quiz:delivery");
    }

    @Override
    public void encodeToWire(Buffer buffer, Delivery delivery) {
        buffer.appendInt(delivery.recipients().size());
        for (UUID recipient : delivery.recipients()) {
            Binary.appendUuid(buffer, recipient);
        }
        ServerFrameCodec.append(buffer, delivery.frame());
        buffer.appendByte(delivery.moreFollow() ? (byte) 1 : 0);
    }

    @Override
    public Delivery decodeFromWire(int pos, Buffer buffer) {
        Binary.Reader in = new Binary.Reader(buffer, pos);
        int count = in.readInt();
        List<UUID> recipients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            recipients.add(in.readUuid());
        }
        ServerFrame frame = ServerFrameCodec.read(in);
        return new Delivery(recipients, frame, in.readBoolean());
    }
}
