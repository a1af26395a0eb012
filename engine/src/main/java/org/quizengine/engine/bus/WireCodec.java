package org.quizengine.engine.bus;

import io.vertx.core.buffer.Buffer;
import org.quizengine.shared.Wire;

/**
 * Carries a typed message over the event bus: as the same immutable object within a node, as JSON
 * between nodes. One instance is registered per concrete record, all decoding to their base type.
 */
final class WireCodec<T> extends ImmutableCodec<T> {
    private final Class<T> baseType;

    WireCodec(Class<T> baseType, Class<?> concreteType) {
        super("quiz:" + concreteType.getName());
        this.baseType = baseType;
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
}
