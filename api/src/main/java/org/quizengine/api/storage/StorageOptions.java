package org.quizengine.api.storage;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a node keeps its data. PostgreSQL and Redis are each either external (a URI is given) or
 * embedded: started by the node itself, with their data under {@code dataDir/postgres} and
 * {@code dataDir/redis}, so that it survives a restart of the node.
 *
 * <p>This record does not read the environment; the node does, and builds it.
 *
 * @param dataDir          directory for the embedded stores' data; always required, so that a node
 *                         can fall back to embedded stores
 * @param postgresUri      e.g. {@code postgresql://user:pass@host:5432/db}, or {@code null} to embed PostgreSQL
 * @param redisUri         e.g. {@code redis://host:6379}, or {@code null} to embed Redis
 * @param postgresPoolSize maximum connections in the PostgreSQL pool
 * @param embeddedPostgresPort the loopback port an embedded PostgreSQL listens on; 0: any free one
 * @param embeddedRedisPort    the loopback port an embedded Redis listens on; 0: any free one. Fixed
 *                             ports let stores restart where their clients expect them (a local cluster)
 */
public record StorageOptions(Path dataDir, String postgresUri, String redisUri, int postgresPoolSize,
                             int embeddedPostgresPort, int embeddedRedisPort) {

    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    public static final int DEFAULT_POSTGRES_POOL_SIZE = 8;
    public static final int MAX_POSTGRES_POOL_SIZE = 256;

    public StorageOptions {
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        // An environment variable set to "" means "not set", not "connect to nowhere".
        postgresUri = blankToNull(postgresUri);
        redisUri = blankToNull(redisUri);
        if (postgresUri != null && !hasScheme(postgresUri, "postgresql://", "postgres://")) {
            throw new IllegalArgumentException("postgresUri must start with postgresql:// or postgres://");
        }
        if (redisUri != null && !hasScheme(redisUri, "redis://", "rediss://", "unix://")) {
            throw new IllegalArgumentException("redisUri must start with redis://, rediss:// or unix://");
        }
        if (postgresPoolSize < 1 || postgresPoolSize > MAX_POSTGRES_POOL_SIZE) {
            throw new IllegalArgumentException(
                "postgresPoolSize must be between 1 and " + MAX_POSTGRES_POOL_SIZE + ", was " + postgresPoolSize);
        }
        if (embeddedPostgresPort < 0 || embeddedPostgresPort > 65_535 || embeddedRedisPort < 0 || embeddedRedisPort > 65_535) {
            throw new IllegalArgumentException("embedded ports must be between 0 (any free port) and 65535");
        }
    }

    /** Embedded stores, if any, on any free ports. */
    public StorageOptions(Path dataDir, String postgresUri, String redisUri, int postgresPoolSize) {
        this(dataDir, postgresUri, redisUri, postgresPoolSize, 0, 0);
    }

    /** Both stores embedded, with their data under {@code dataDir}, and the default pool size. */
    public static StorageOptions embedded(Path dataDir) {
        return new StorageOptions(dataDir, null, null, DEFAULT_POSTGRES_POOL_SIZE);
    }

    /** The defaults: both stores embedded under {@link #DEFAULT_DATA_DIR}. */
    public static StorageOptions defaults() {
        return embedded(DEFAULT_DATA_DIR);
    }

    public boolean embedsPostgres() {
        return postgresUri == null;
    }

    public boolean embedsRedis() {
        return redisUri == null;
    }

    public Path postgresDataDir() {
        return dataDir.resolve("postgres");
    }

    public Path redisDataDir() {
        return dataDir.resolve("redis");
    }

    /** Never prints passwords: options end up in startup logs. */
    @Override
    public String toString() {
        return "StorageOptions[dataDir=" + dataDir + ", postgresUri=" + redact(postgresUri) + ", redisUri="
            + redact(redisUri) + ", postgresPoolSize=" + postgresPoolSize + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static boolean hasScheme(String uri, String... schemes) {
        String lower = uri.toLowerCase(Locale.ROOT);
        for (String scheme : schemes) {
            if (lower.startsWith(scheme)) {
                return true;
            }
        }
        return false;
    }

    private static String redact(String uri) {
        if (uri == null) {
            return "(embedded)";
        }
        int at = uri.lastIndexOf('@');
        int scheme = uri.indexOf("://");
        return at < 0 || scheme < 0 ? uri : uri.substring(0, scheme + 3) + "***" + uri.substring(at);
    }
}
