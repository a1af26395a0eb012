package org.quizengine.api.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's connections to PostgreSQL and Redis, and the embedded servers behind them when the node
 * runs its own. Start it once per node with {@link #start}, pass it (or its {@link #pool()} and
 * {@link #redis()}) down to the repositories, and {@link #close()} it on shutdown.
 */
public final class Stores {
    public static final String MIGRATIONS_LOCATION = "classpath:db/migration";

    private static final Logger LOG = LoggerFactory.getLogger(Stores.class);
    // Matches finish in bursts; callers queue for a connection rather than fail at once.
    private static final int REDIS_POOL_SIZE = 8;
    private static final int REDIS_POOL_WAITING = 1024;

    private final Vertx vertx;
    private final EmbeddedServers embedded;
    private final Endpoints endpoints;
    private final Pool pool;
    private final Redis redisClient;
    private final RedisAPI redis;

    private Stores(Vertx vertx, Endpoints endpoints, Pool pool, Redis redisClient) {
        this.vertx = vertx;
        this.endpoints = endpoints;
        this.embedded = endpoints.embedded();
        this.pool = pool;
        this.redisClient = redisClient;
        this.redis = RedisAPI.api(redisClient);
    }

    /**
     * Starts the embedded servers that {@code options} asks for, brings the schema up to date, and
     * connects. Fails (after stopping whatever it started) if any store cannot be reached.
     */
    public static Future<Stores> start(Vertx vertx, StorageOptions options) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        LOG.info("Starting stores with {}", options);
        long startedAt = System.nanoTime();
        return vertx.executeBlocking(() -> startBlocking(options))
            .compose(started -> connect(vertx, options, started))
            .onSuccess(stores -> LOG.info("Stores ready in {} ms", elapsedMillis(startedAt)));
    }

    /** Everything that blocks: processes starting, and Flyway over JDBC. */
    private static Endpoints startBlocking(StorageOptions options) throws IOException {
        EmbeddedServers embedded = EmbeddedServers.start(options);
        try {
            Endpoints endpoints = Endpoints.of(options, embedded);
            migrate(endpoints);
            return endpoints;
        } catch (RuntimeException e) {
            if (embedded != null) {
                closeAfterFailure(embedded, e);
            }
            throw e;
        }
    }

    private static void migrate(Endpoints endpoints) {
        PgConnectOptions pg = endpoints.postgres();
        // Flyway takes a PostgreSQL advisory lock, so nodes starting together migrate once.
        var result = Flyway.configure()
            .dataSource(jdbcUrl(pg), pg.getUser(), pg.getPassword())
            .locations(MIGRATIONS_LOCATION)
            .load()
            .migrate();
        // targetSchemaVersion is null when there was nothing to apply.
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        LOG.info("Schema at version {} ({} migrations applied now)", version, result.migrationsExecuted);
    }

    private static Future<Stores> connect(Vertx vertx, StorageOptions options, Endpoints endpoints) {
        Pool pool = PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(options.postgresPoolSize()))
            .connectingTo(endpoints.postgres())
            .using(vertx)
            .build();
        Redis redisClient = Redis.createClient(vertx, new RedisOptions()
            .setConnectionString(endpoints.redisUri())
            .setMaxPoolSize(REDIS_POOL_SIZE)
            .setMaxPoolWaiting(REDIS_POOL_WAITING));
        Stores stores = new Stores(vertx, endpoints, pool, redisClient);
        return Future.all(stores.pingPostgres(), stores.pingRedis())
            .map(ignored -> stores)
            .recover(failure -> stores.close().transform(ignored -> Future.<Stores>failedFuture(failure)));
    }

    /**
     * Where PostgreSQL is, as a URI another node can be given ({@code QUIZ_STORAGE_POSTGRES_URI}) to
     * share this node's embedded server; it carries the password of an external one.
     */
    public String postgresUri() {
        PgConnectOptions pg = endpoints.postgres();
        String password = pg.getPassword() == null || pg.getPassword().isEmpty() ? "" : ":" + pg.getPassword();
        return "postgresql://" + pg.getUser() + password + "@" + pg.getHost() + ":" + pg.getPort() + "/" + pg.getDatabase();
    }

    /** Where Redis is, as a URI another node can be given ({@code QUIZ_STORAGE_REDIS_URI}). */
    public String redisUri() {
        return endpoints.redisUri();
    }

    /** The PostgreSQL pool every repository shares. */
    public Pool pool() {
        return pool;
    }

    /** The Redis API every Redis-backed store shares. */
    public RedisAPI redis() {
        return redis;
    }

    /** Succeeds when PostgreSQL answers a query; for readiness checks. */
    public Future<Void> pingPostgres() {
        return pool.query("SELECT 1").execute().mapEmpty();
    }

    /** Succeeds when Redis answers PING; for readiness checks. */
    public Future<Void> pingRedis() {
        return redis.ping(List.of()).mapEmpty();
    }

    /**
     * Closes the clients, then stops the embedded servers (Redis writes its data, PostgreSQL shuts
     * down cleanly). Fails if a server could not be stopped, after trying all of them.
     */
    public Future<Void> close() {
        long startedAt = System.nanoTime();
        return closeClientsThenServers()
            .onSuccess(closed -> LOG.info("Stores closed in {} ms", elapsedMillis(startedAt)));
    }

    private Future<Void> closeClientsThenServers() {
        Future<Void> clients = Future.join(pool.close(), redisClient.close()).mapEmpty();
        if (embedded == null) {
            return clients;
        }
        // Stop the servers even when a client failed to close; report the first failure.
        return clients.eventually(() -> vertx.executeBlocking(() -> {
            embedded.close();
            return null;
        }));
    }

    private static long elapsedMillis(long startedAtNanos) {
        return (System.nanoTime() - startedAtNanos) / 1_000_000;
    }

    private static void closeAfterFailure(EmbeddedServers embedded, Exception cause) {
        try {
            embedded.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** A JDBC URL for Flyway, equivalent to the options the Vert.x pool connects with. */
    static String jdbcUrl(PgConnectOptions pg) {
        String host = pg.getHost().contains(":") ? "[" + pg.getHost() + "]" : pg.getHost();
        String url = "jdbc:postgresql://" + host + ":" + pg.getPort() + "/" + pg.getDatabase();
        SslMode ssl = pg.getSslMode();
        if (ssl == null || ssl == SslMode.DISABLE) {
            return url + "?sslmode=disable";
        }
        return url + "?sslmode=" + ssl.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Where the stores are, once the embedded ones (if any) run. */
    private record Endpoints(EmbeddedServers embedded, PgConnectOptions postgres, String redisUri) {

        static Endpoints of(StorageOptions options, EmbeddedServers embedded) {
            PgConnectOptions postgres = options.embedsPostgres()
                ? new PgConnectOptions()
                    .setHost("localhost")
                    .setPort(embedded.postgresPort())
                    .setDatabase(EmbeddedServers.EMBEDDED_DATABASE)
                    .setUser(EmbeddedServers.EMBEDDED_USER)
                    .setPassword("")
                : PgConnectOptions.fromUri(options.postgresUri());
            String redisUri = options.embedsRedis() ? embedded.redisUri() : options.redisUri();
            return new Endpoints(embedded, postgres.setCachePreparedStatements(true), redisUri);
        }
    }
}
