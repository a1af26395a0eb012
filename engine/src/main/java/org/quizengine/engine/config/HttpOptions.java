package org.quizengine.engine.config;

import java.time.Duration;
import java.util.Objects;
import org.quizengine.api.protection.CorsOptions;
import org.quizengine.api.protection.LoginThrottleOptions;
import org.quizengine.api.protection.ProtectionOptions;
import org.quizengine.api.protection.RateLimitOptions;
import org.quizengine.api.protection.TrustedProxies;

/**
 * Where the node listens, and how its REST API protects itself: how long a connection may take to
 * send its first request head and a request's body, how long it may then wait idle, how many
 * connections that are not WebSockets may be open at once, body size, CORS origins, trusted proxies
 * ({@code http.*}), request rate limits ({@code rateLimit.*}) and login throttling
 * ({@code loginThrottle.*}). Rate and throttle limits of 0 turn that limit off.
 */
public record HttpOptions(String host, int port, Duration requestHeadTimeout, Duration requestBodyTimeout,
                          Duration keepAlive, int maxNonWebSocketConnections, ProtectionOptions protection) {
    public static final int DEFAULT_PORT = 8080;
    private static final int MAX_LIMIT = 100_000_000;

    public HttpOptions {
        Objects.requireNonNull(protection, "protection");
    }

    /** The largest REST body a route without its own limit accepts. */
    public long maxBodyBytes() {
        return protection.maxBodyBytes();
    }

    static HttpOptions from(Section http, Section rateLimit, Section loginThrottle) {
        ProtectionOptions protection = new ProtectionOptions(
            http.intIn("maxBodyBytes", 1024, 16_777_216),
            cors(http),
            trustedProxies(http),
            new RateLimitOptions(seconds(rateLimit, "windowSeconds"),
                rateLimit.intIn("anonymousPerWindow", 0, MAX_LIMIT), rateLimit.intIn("userPerWindow", 0, MAX_LIMIT)),
            new LoginThrottleOptions(seconds(loginThrottle, "windowSeconds"),
                loginThrottle.intIn("failuresPerAccountAndAddress", 0, MAX_LIMIT),
                loginThrottle.intIn("failuresPerAccount", 0, MAX_LIMIT),
                loginThrottle.intIn("failuresPerAddress", 0, MAX_LIMIT)));
        return new HttpOptions(http.string("host"), http.intIn("port", 0, 65535),
            Duration.ofSeconds(http.intIn("requestHeadSeconds", 1, 3_600)),
            Duration.ofSeconds(http.intIn("requestBodySeconds", 1, 3_600)),
            Duration.ofSeconds(http.intIn("keepAliveSeconds", 1, 86_400)),
            http.intIn("maxNonWebSocketConnections", 1, 1_000_000), protection);
    }

    private static CorsOptions cors(Section http) {
        boolean credentials = http.bool("corsAllowCredentials");
        try {
            return CorsOptions.parse(http.optionalString("corsOrigins"), credentials);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(http.describe("corsOrigins") + ": " + e.getMessage()
                + (credentials ? " (credentials are allowed by " + http.describe("corsAllowCredentials") + ")" : ""));
        }
    }

    private static TrustedProxies trustedProxies(Section http) {
        try {
            return TrustedProxies.parse(http.optionalString("trustedProxies"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(http.describe("trustedProxies") + " must list IP addresses or CIDR ranges: " + e.getMessage());
        }
    }

    private static Duration seconds(Section section, String key) {
        return Duration.ofSeconds(section.longIn(key, 1, 86_400));
    }
}
