package org.quizengine.api.protection;

import java.time.Duration;
import java.util.Objects;

/**
 * How many failed logins are tolerated within a window before further attempts are refused
 * without checking the password. A limit of 0 turns that counter off. See {@link LoginThrottle}
 * for why there are three counters.
 *
 * @param window                       how long failures are remembered, from the first one
 * @param failuresPerAccountAndAddress failures for one login name from one client address
 * @param failuresPerAccount           failures for one login name from any address
 * @param failuresPerAddress           failures from one client address for any login name
 */
public record LoginThrottleOptions(Duration window, int failuresPerAccountAndAddress, int failuresPerAccount,
                                   int failuresPerAddress) {
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    public static final int DEFAULT_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5;
    public static final int DEFAULT_FAILURES_PER_ACCOUNT = 20;
    public static final int DEFAULT_FAILURES_PER_ADDRESS = 50;

    public LoginThrottleOptions {
        Objects.requireNonNull(window, "window");
        if (window.toSeconds() < 1) {
            throw new IllegalArgumentException("The login throttle window must be at least 1 s, was " + window);
        }
        if (failuresPerAccountAndAddress < 0 || failuresPerAccount < 0 || failuresPerAddress < 0) {
            throw new IllegalArgumentException("Login failure limits must be 0 (off) or more");
        }
    }

    public static LoginThrottleOptions defaults() {
        return new LoginThrottleOptions(DEFAULT_WINDOW, DEFAULT_FAILURES_PER_ACCOUNT_AND_ADDRESS,
            DEFAULT_FAILURES_PER_ACCOUNT, DEFAULT_FAILURES_PER_ADDRESS);
    }
}
