package org.quizengine.api.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node signs tokens and hashes passwords. The node fills it from environment variables;
 * each setter checks its value, and {@link #validate()} checks that the required ones are present.
 */
public final class AuthOptions {
    /** HS256 wants a key at least as long as its output. */
    public static final int MIN_JWT_SECRET_BYTES = 32;
    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofMinutes(15);
    public static final Duration MAX_ACCESS_TOKEN_TTL = Duration.ofDays(1);
    public static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofDays(30);
    public static final Duration MAX_REFRESH_TOKEN_TTL = Duration.ofDays(365);
    public static final String DEFAULT_ISSUER = "quizengine";
    /** OWASP's minimum Argon2id configuration: 19 MiB, 2 iterations, 1 lane. */
    public static final int DEFAULT_ARGON2_MEMORY_KIB = 19_456;
    public static final int DEFAULT_ARGON2_ITERATIONS = 2;
    public static final int DEFAULT_ARGON2_PARALLELISM = 1;

    private byte[] jwtSecret;
    private List<byte[]> acceptedJwtSecrets = List.of();
    private Duration accessTokenTtl = DEFAULT_ACCESS_TOKEN_TTL;
    private Duration refreshTokenTtl = DEFAULT_REFRESH_TOKEN_TTL;
    private String issuer = DEFAULT_ISSUER;
    private Argon2Cost argon2 = new Argon2Cost(
        DEFAULT_ARGON2_MEMORY_KIB, DEFAULT_ARGON2_ITERATIONS, DEFAULT_ARGON2_PARALLELISM);
    private BootstrapAdmin bootstrapAdmin;

    /** The HS256 signing key, as UTF-8; required, at least {@value #MIN_JWT_SECRET_BYTES} bytes. */
    public AuthOptions setJwtSecret(String secret) {
        Objects.requireNonNull(secret, "JWT secret");
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_JWT_SECRET_BYTES) {
            throw new IllegalArgumentException(
                "The JWT secret must be at least " + MIN_JWT_SECRET_BYTES + " bytes, was " + bytes.length);
        }
        this.jwtSecret = bytes;
        return this;
    }

    /**
     * More HS256 keys whose tokens are accepted but never signed with, each at least
     * {@value #MIN_JWT_SECRET_BYTES} bytes: the other key of a rotation (the next one while nodes
     * learn it, then the previous one while its tokens live).
     */
    public AuthOptions setAcceptedJwtSecrets(List<String> secrets) {
        List<byte[]> keys = new ArrayList<>();
        for (String secret : secrets) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_JWT_SECRET_BYTES) {
                throw new IllegalArgumentException(
                    "Each accepted JWT secret must be at least " + MIN_JWT_SECRET_BYTES + " bytes, one was " + bytes.length);
            }
            keys.add(bytes);
        }
        this.acceptedJwtSecrets = List.copyOf(keys);
        return this;
    }

    public AuthOptions setAccessTokenTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "access token TTL");
        if (ttl.toSeconds() < 1 || ttl.compareTo(MAX_ACCESS_TOKEN_TTL) > 0) {
            throw new IllegalArgumentException("The access token TTL must be 1 s.." + MAX_ACCESS_TOKEN_TTL + ", was " + ttl);
        }
        this.accessTokenTtl = ttl;
        return this;
    }

    /**
     * How long a refresh token may be exchanged after it was issued (each refresh issues a new one).
     * 1 minute to {@link #MAX_REFRESH_TOKEN_TTL}, and longer than the access token TTL (see {@link #validate()}).
     */
    public AuthOptions setRefreshTokenTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "refresh token TTL");
        if (ttl.toSeconds() < 60 || ttl.compareTo(MAX_REFRESH_TOKEN_TTL) > 0) {
            throw new IllegalArgumentException("The refresh token TTL must be 60 s.." + MAX_REFRESH_TOKEN_TTL + ", was " + ttl);
        }
        this.refreshTokenTtl = ttl;
        return this;
    }

    public AuthOptions setIssuer(String issuer) {
        Objects.requireNonNull(issuer, "issuer");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("The token issuer must not be blank");
        }
        this.issuer = issuer;
        return this;
    }

    public AuthOptions setArgon2(Argon2Cost argon2) {
        this.argon2 = Objects.requireNonNull(argon2, "Argon2 cost");
        return this;
    }

    /** The administrator to ensure at start-up; {@code null} for none. */
    public AuthOptions setBootstrapAdmin(BootstrapAdmin bootstrapAdmin) {
        this.bootstrapAdmin = bootstrapAdmin;
        return this;
    }

    /** Fails if a required value is missing; returns this for chaining. */
    public AuthOptions validate() {
        if (jwtSecret == null) {
            throw new IllegalStateException("A JWT secret is required");
        }
        // A session's access tokens must not outlive it: revocation marks last one access-token TTL.
        if (refreshTokenTtl.compareTo(accessTokenTtl) <= 0) {
            throw new IllegalArgumentException("The refresh token TTL (" + refreshTokenTtl
                + ") must be longer than the access token TTL (" + accessTokenTtl + ")");
        }
        return this;
    }

    /** A copy of the signing key. */
    public byte[] jwtSecret() {
        validate();
        return Arrays.copyOf(jwtSecret, jwtSecret.length);
    }

    /** Copies of the keys accepted besides the signing key. */
    public List<byte[]> acceptedJwtSecrets() {
        return acceptedJwtSecrets.stream().map(key -> Arrays.copyOf(key, key.length)).toList();
    }

    public Duration accessTokenTtl() {
        return accessTokenTtl;
    }

    public Duration refreshTokenTtl() {
        return refreshTokenTtl;
    }

    public String issuer() {
        return issuer;
    }

    public Argon2Cost argon2() {
        return argon2;
    }

    public Optional<BootstrapAdmin> bootstrapAdmin() {
        return Optional.ofNullable(bootstrapAdmin);
    }

    @Override
    public String toString() {
        return "AuthOptions[jwtSecret=" + (jwtSecret == null ? "(unset)" : "(hidden)")
            + ", accessTokenTtl=" + accessTokenTtl + ", refreshTokenTtl=" + refreshTokenTtl + ", issuer=" + issuer + ", argon2=" + argon2
            + ", bootstrapAdmin=" + bootstrapAdmin + "]";
    }
}
