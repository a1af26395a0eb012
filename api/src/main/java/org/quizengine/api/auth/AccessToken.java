package org.quizengine.api.auth;

import java.time.Duration;
import java.time.Instant;

/** A signed access token and its lifetime. */
public record AccessToken(String value, Instant issuedAt, Instant expiresAt) {
    /** Seconds from issue to expiry, as OAuth's {@code expires_in}. */
    public long expiresInSeconds() {
        return Duration.between(issuedAt, expiresAt).toSeconds();
    }

    @Override
    public String toString() {
        return "AccessToken[value=(hidden), issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
    }
}
