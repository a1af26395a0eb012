package org.quizengine.api.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a warning about an unreachable store through at most once a minute, from any thread, so an
 * outage under load writes a line a minute instead of one per request.
 */
public final class OncePerMinute {
    private static final long INTERVAL_NANOS = 60_000_000_000L;

    private final AtomicLong last = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    /** Whether the warning is due now; if so, the next one is due a minute later. */
    public boolean due() {
        long now = System.nanoTime();
        long previous = last.get();
        return now - previous >= INTERVAL_NANOS && last.compareAndSet(previous, now);
    }
}
