package org.quizengine.engine.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.quizengine.api.auth.Argon2Cost;
import org.quizengine.api.auth.AuthOptions;
import org.quizengine.api.auth.BootstrapAdmin;
import org.quizengine.api.storage.StorageOptions;

/**
 * Everything a node is configured with, read once at start and passed down through constructors.
 *
 * @param nativeTransport whether sockets use Linux's epoll through Netty's native transport when the
 *                        platform has it (Java NIO otherwise, and when false): at 10,000 players it
 *                        cost the node about a tenth less CPU per answer (benchmarks/RESULTS.md)
 * @param eventLoops      Vert.x event loop threads: sockets, matches and store clients share them
 */
public record NodeOptions(String nodeId, boolean nativeTransport, int eventLoops, HttpOptions http, MatchOptions match,
                          MatchmakingOptions matchmaking, GatewayOptions gateway, StorageOptions storage,
                          AuthOptions auth, ClusterOptions cluster) {

    /** The same options with the node's id decided (a clustered node goes by its cluster member id). */
    public NodeOptions withNodeId(String id) {
        return new NodeOptions(id, nativeTransport, eventLoops, http, match, matchmaking, gateway, storage, auth, cluster);
    }

    /** A random short id, for a node that is not clustered and was not given one. */
    public static String randomNodeId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Builds and validates the options; a bad value is a {@link ConfigException} naming it. */
    public static NodeOptions from(JsonObject config) {
        Section node = new Section(config, "node");
        String nodeId = node.optionalString("id");
        if (nodeId != null && !nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            // It names the node in event-bus addresses, cluster records and logs.
            throw new ConfigException(node.describe("id") + " must be 1 to 64 letters, digits, '.', '_' or '-'; got '"
                + nodeId + "'");
        }
        StorageOptions storage = storage(new Section(config, "storage"));
        return new NodeOptions(
            nodeId,
            node.bool("nativeTransport"),
            eventLoops(node),
            HttpOptions.from(new Section(config, "http"), new Section(config, "rateLimit"),
                new Section(config, "loginThrottle")),
            MatchOptions.from(new Section(config, "match")),
            MatchmakingOptions.from(new Section(config, "matchmaking"), new Section(config, "lobby")),
            GatewayOptions.from(new Section(config, "gateway")),
            storage,
            auth(new Section(config, "auth"), storage.dataDir()),
            cluster(new Section(config, "cluster")));
    }

    /** {@code node.eventLoops}, or when it is 0 one for every two processors the JVM sees (at least one). */
    private static int eventLoops(Section node) {
        int configured = node.intIn("eventLoops", 0, 1_024);
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Only the storage settings, for a process that runs the stores and nothing else. */
    public static StorageOptions storageFrom(JsonObject config) {
        return storage(new Section(config, "storage"));
    }

    private static ClusterOptions cluster(Section cluster) {
        return ClusterOptions.from(cluster, cluster.bool("enabled"));
    }

    private static StorageOptions storage(Section storage) {
        try {
            return new StorageOptions(Path.of(storage.string("dataDir")), storage.optionalString("postgresUri"),
                storage.optionalString("redisUri"), storage.intIn("postgresPoolSize", 1, StorageOptions.MAX_POSTGRES_POOL_SIZE),
                storage.intIn("embeddedPostgresPort", 0, 65_535), storage.intIn("embeddedRedisPort", 0, 65_535));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("storage: " + e.getMessage());
        }
    }

    private static AuthOptions auth(Section auth, Path dataDir) {
        String secret = auth.optionalString("jwtSecret");
        String adminUsername = auth.optionalString("adminUsername");
        try {
            AuthOptions options = new AuthOptions()
                .setJwtSecret(secret != null ? secret : GeneratedSecret.readOrCreate(dataDir.resolve("jwt-secret")))
                .setAcceptedJwtSecrets(commaSeparated(auth.optionalString("jwtAcceptedSecrets")))
                .setAccessTokenTtl(Duration.ofSeconds(auth.longIn("accessTokenSeconds", 1, 86_400)))
                .setRefreshTokenTtl(Duration.ofSeconds(auth.longIn("refreshTokenSeconds", 60, 365 * 86_400)))
                .setArgon2(new Argon2Cost(auth.intIn("argon2MemoryKib", 8, 4 * 1024 * 1024),
                    auth.intIn("argon2Iterations", 1, 100), auth.intIn("argon2Parallelism", 1, 64)));
            if (adminUsername != null) {
                options.setBootstrapAdmin(new BootstrapAdmin(adminUsername, auth.string("adminEmail"),
                    auth.string("adminPassword")));
            }
            return options.validate();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("auth: " + e.getMessage() + " (see " + auth.describe("jwtSecret") + ", "
                + auth.describe("jwtAcceptedSecrets") + ", " + auth.describe("adminUsername") + ")");
        }
    }

    private static List<String> commaSeparated(String value) {
        return value == null ? List.of()
            : Arrays.stream(value.split(",")).map(String::strip).filter(part -> !part.isEmpty()).toList();
    }
}
