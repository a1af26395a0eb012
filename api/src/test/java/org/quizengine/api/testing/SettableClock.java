package org.quizengine.api.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A UTC clock that tells the real time until a test sets it to a moment of its choosing. */
public final class SettableClock extends Clock {
    private final AtomicReference<Instant> fixed = new AtomicReference<>();

    /** Stops the clock at {@code instant}; {@code null} lets it follow the real time again. */
    public void set(Instant instant) {
        fixed.set(instant);
    }

    @Override
    public Instant instant() {
        Instant now = fixed.get();
        return now == null ? Instant.now() : now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("A test clock is UTC");
    }
}
