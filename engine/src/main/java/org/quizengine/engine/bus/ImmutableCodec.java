package org.quizengine.engine.bus;

import io.vertx.core.eventbus.MessageCodec;

/**
 * What every engine codec shares: its messages are immutable records (a frame's bytes are never
 * written to once encoded), so within a node a message is handed over as the same object; only
 * between nodes is it encoded.
 */
abstract class ImmutableCodec<T> implements MessageCodec<T, T> {
    private final String name;

    ImmutableCodec(String name) {
        this.name = name;
    }

    @Override
    public final T transform(T value) {
        return value; // immutable: safe to hand over as is
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final byte systemCodecID() {
        return -1;
    }
}
