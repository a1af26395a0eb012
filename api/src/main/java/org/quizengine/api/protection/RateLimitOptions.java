package org.quizengine.api.protection;

import java.time.Duration;
import java.util.Objects;

/**
 * Requests allowed per fixed window, counted across the whole cluster in Redis. A limit of 0 turns
 * that limit off (the benchmark does, since it signs thousands of players up from one address).
 *
 * @param window             how long one counting window lasts, from the first request in it
 * @param anonymousPerWindow requests per client address per window, for requests without a valid token
 * @param userPerWindow      requests per signed-in user per window, whatever address they come from
 */
public record RateLimitOptions(Duration window, int anonymousPerWindow, int userPerWindow) {
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final int DEFAULT_ANONYMOUS_PER_WINDOW = 600;
    public static final int DEFAULT_USER_PER_WINDOW = 1200;

    public RateLimitOptions {
        Objects.requireNonNull(window, "window");
        if (window.toSeconds() < 1) {
            throw new IllegalArgumentException("The rate limit window must be at least 1 s, was " + window);
        }
        if (anonymousPerWindow < 0 || userPerWindow < 0) {
            throw new IllegalArgumentException("Rate limits must be 0 (off) or more, were "
                + anonymousPerWindow + " and " + userPerWindow);
        }
    }

    public static RateLimitOptions defaults() {
        return new RateLimitOptions(DEFAULT_WINDOW, DEFAULT_ANONYMOUS_PER_WINDOW, DEFAULT_USER_PER_WINDOW);
    }
}
