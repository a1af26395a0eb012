package org.quizengine.engine.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The one "eventually" poll of the engine's tests: a condition checked every 100 ms until it holds or time runs out. */
public final class Eventually {
    private static final Duration POLL = Duration.ofMillis(100);

    private Eventually() {
    }

    /** Waits until {@code condition} holds; fails naming {@code what} if it has not within {@code wait}. */
    public static void await(String what, Duration wait, BooleanSupplier condition) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + wait + ": " + what);
            }
            sleep(POLL);
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Milliseconds between two {@link System#nanoTime()} readings. */
    public static long millisBetween(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
