package org.quizengine.api.protection;

import java.util.Objects;

/**
 * How the REST API protects itself: body size, cross-origin access, which peers may name the client
 * address, request rate limits and login throttling. The node builds it from its configuration
 * ({@code http.*}, {@code rateLimit.*}, {@code loginThrottle.*}); tests build it directly.
 *
 * @param maxBodyBytes   the largest request body the API reads, unless a route is given its own limit
 * @param cors           browser origins allowed to call the API
 * @param trustedProxies peers whose {@code X-Forwarded-For} header is believed
 * @param rateLimits     requests per address and per user
 * @param loginThrottle  failed logins per account and per address
 */
public record ProtectionOptions(long maxBodyBytes, CorsOptions cors, TrustedProxies trustedProxies,
                                RateLimitOptions rateLimits, LoginThrottleOptions loginThrottle) {
    public static final long DEFAULT_MAX_BODY_BYTES = 16 * 1024;

    public ProtectionOptions {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
        }
        Objects.requireNonNull(cors, "cors");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(loginThrottle, "loginThrottle");
    }

    /** What a node runs with unless configured otherwise. */
    public static ProtectionOptions defaults() {
        return new ProtectionOptions(DEFAULT_MAX_BODY_BYTES, CorsOptions.none(), TrustedProxies.none(),
            RateLimitOptions.defaults(), LoginThrottleOptions.defaults());
    }

    public ProtectionOptions withMaxBodyBytes(long bytes) {
        return new ProtectionOptions(bytes, cors, trustedProxies, rateLimits, loginThrottle);
    }

    public ProtectionOptions withCors(CorsOptions value) {
        return new ProtectionOptions(maxBodyBytes, value, trustedProxies, rateLimits, loginThrottle);
    }

    public ProtectionOptions withTrustedProxies(TrustedProxies value) {
        return new ProtectionOptions(maxBodyBytes, cors, value, rateLimits, loginThrottle);
    }

    public ProtectionOptions withRateLimits(RateLimitOptions value) {
        return new ProtectionOptions(maxBodyBytes, cors, trustedProxies, value, loginThrottle);
    }

    public ProtectionOptions withLoginThrottle(LoginThrottleOptions value) {
        return new ProtectionOptions(maxBodyBytes, cors, trustedProxies, rateLimits, value);
    }
}
