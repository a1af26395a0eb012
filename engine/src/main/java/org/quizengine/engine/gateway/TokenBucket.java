package org.quizengine.engine.gateway;

/** A rate limit: {@code burst} frames at once, refilled at {@code perSecond}. Pure: time is a parameter. */
final class TokenBucket {
    private final double perMilli;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(int perSecond, int burst, long now) {
        this.perMilli = perSecond / 1000.0;
        this.capacity = burst;
        this.tokens = burst;
        this.last = now;
    }

    boolean tryTake(long now) {
        if (now > last) {
            tokens = Math.min(capacity, tokens + (now - last) * perMilli);
            last = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
