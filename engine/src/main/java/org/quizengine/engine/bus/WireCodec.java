package org.quizengine.engine.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import org.quizengine.shared.Wire;

/**
 * Carries a typed message over the event bus: as the same immutable object within a node, as JSON
 * between nodes. One instance is registered per concrete record, all decoding to their base type.
 */
final class WireCodec<T> implements MessageCodec<T, T> {
    private final Class<T> baseType;
    private final String name;

    WireCodec(Class<T> baseType, Class<?> concreteType) {
        this.baseType = baseType;
        this.name = "quiz:" + concreteType.getName();
    }

    @Override
    public void encodeToWire(Buffer buffer, T value) {
        byte[] json = Wire.encodeBytes(value);
        buffer.appendInt(json.length).appendBytes(json);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        return Wire.decode(buffer.getBytes(pos + 4, pos + 4 + length), baseType);
    }

    @Override
    public T transform(T value) {
        return value; // records are immutable: safe to hand over as is
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
