package org.quizengine.engine.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.local.StoresProcess;
import org.quizengine.engine.local.TcpProxy;
import org.quizengine.engine.match.LiveMatchRecord;
import org.quizengine.shared.bus.Addresses;

/**
 * The one fixture for tests that need a real cluster of node processes: one PostgreSQL and Redis in
 * a stores JVM, reached by every node through a {@link TcpProxy} the test can cut, N nodes in their
 * own JVMs (a fresh cluster name per run, named {@code <prefix>-1..N}, the first started alone so it
 * is the oldest member, unless {@code QUIZ_CLUSTER_MIN_MEMBERS} is above 1: a node alone is then not
 * ready, so they start together), and a Hazelcast client that reads the cluster's maps without being a member.
 * Nodes can be killed ({@code kill -9}), frozen ({@code SIGSTOP}) and started again.
 *
 * <p>A test class registers one with {@link #forTestClass} as a {@code @RegisterExtension static
 * final} field: started before its tests, stopped after them, logs printed when one fails.
 */
public final class ProcessCluster implements AutoCloseable, BeforeAllCallback, AfterAllCallback, TestWatcher {

    public final Vertx clients = Vertx.vertx();
    private final String prefix;
    private final String clusterName;
    private final String jwtSecret = "process-cluster-" + UUID.randomUUID();
    private final Map<String, String> settings;
    private final int size;
    private final int spare;
    private final List<Integer> hazelcastPorts = new ArrayList<>();
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final List<TestPlayer> players = new CopyOnWriteArrayList<>();
    private StoresProcess stores;
    private TcpProxy postgres;
    private TcpProxy redis;
    private HazelcastInstance hazelcast;
    private boolean closed;

    private ProcessCluster(String prefix, Map<String, String> settings, int size, int spare) {
        this.prefix = prefix;
        this.clusterName = "quiz-" + prefix + "-" + UUID.randomUUID();
        this.settings = settings;
        this.size = size;
        this.spare = spare;
    }

    /**
     * A cluster for one test class, as a JUnit extension: register it as a
     * {@code @RegisterExtension static final} field. Before the class's first test (and its
     * {@code @BeforeAll} methods) it starts the stores, their proxies and {@code size} nodes, with the
     * test pacing of {@link #testPacing()} overridden by {@code settings} ({@code QUIZ_*} variables),
     * keeping room in the member list for {@code spare} more nodes started later with
     * {@link #startNode()}. It stops everything after the last test, and prints every server's log
     * tail when a test fails.
     */
    public static ProcessCluster forTestClass(String prefix, int size, int spare, Map<String, String> settings) {
        Map<String, String> all = testPacing();
        all.putAll(settings);
        return new ProcessCluster(prefix, all, size, spare);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        printLogs();
    }

    private void startAll() {
        try {
            startStores();
            for (int i = 0; i < size + spare; i++) {
                hazelcastPorts.add(NodeProcess.freePort());
            }
            List<Integer> rest = new ArrayList<>();
            for (int i = 2; i <= size; i++) {
                rest.add(i);
            }
            if (Integer.parseInt(settings.getOrDefault("QUIZ_CLUSTER_MIN_MEMBERS", "1")) > 1) {
                // A node alone is not ready below the minimum: start them together (the oldest is then
                // whichever formed the cluster; its log says it runs the matchmaker).
                rest.add(0, 1);
            } else {
                startNodes(List.of(1));
            }
            startNodes(rest);
            connectHazelcastClient();
        } catch (RuntimeException | AssertionError e) {
            printLogs();
            close();
            throw e;
        }
    }

    /** Matches paced for tests: 3 questions of 4 s, short pauses, a long grace, cheap password hashing. */
    public static Map<String, String> testPacing() {
        Map<String, String> env = new HashMap<>();
        env.put("QUIZ_MATCH_QUESTION_COUNT", "3");
        env.put("QUIZ_MATCH_QUESTION_MILLIS", "4000");
        env.put("QUIZ_MATCH_COUNTDOWN_MILLIS", "100");
        env.put("QUIZ_MATCH_REVEAL_MILLIS", "300");
        env.put("QUIZ_MATCH_RECONNECT_GRACE_MILLIS", "30000");
        env.put("QUIZ_MATCH_LINGER_MILLIS", "2000");
        env.put("QUIZ_MATCHMAKING_FILL_TIMEOUT_MILLIS", "60000");
        env.put("QUIZ_AUTH_ARGON2_MEMORY_KIB", "1024");
        env.put("QUIZ_AUTH_ARGON2_ITERATIONS", "1");
        return env;
    }

    private void startStores() {
        stores = StoresProcess.start();
        postgres = new TcpProxy(clients, URI.create(stores.postgresUri()), NodeProcess.freePort());
        redis = new TcpProxy(clients, URI.create(stores.redisUri()), NodeProcess.freePort());
        postgres.start();
        redis.start();
    }

    private void startNodes(List<Integer> numbers) {
        List<CompletableFuture<NodeProcess>> starting = numbers.stream()
            .map(n -> CompletableFuture.supplyAsync(() -> NodeProcess.start(nodeEnv(n))))
            .toList();
        RuntimeException failed = null;
        for (int i = 0; i < starting.size(); i++) {
            try {
                nodes.put(prefix + "-" + numbers.get(i), starting.get(i).join()); // kept even if another failed
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** The environment of node number {@code n} (1-based): its own Hazelcast port, every member's listed. */
    public Map<String, String> nodeEnv(int n) {
        Map<String, String> env = new HashMap<>(stores.env());
        env.put("QUIZ_STORAGE_POSTGRES_URI", postgres.uri());
        env.put("QUIZ_STORAGE_REDIS_URI", redis.uri());
        env.putAll(NodeProcess.clusterMember(clusterName, hazelcastPorts.get(n - 1), hazelcastPorts));
        env.put("QUIZ_NODE_ID", prefix + "-" + n);
        env.put("QUIZ_AUTH_JWT_SECRET", jwtSecret); // one secret: every node accepts every node's tokens
        env.putAll(settings);
        return env;
    }

    /** Starts the next node (a spare place in the member list) and waits until it is ready. */
    public NodeProcess startNode() {
        int n = nodes.size() + 1;
        assertThat(n).as("a spare place in the member list").isLessThanOrEqualTo(hazelcastPorts.size());
        startNodes(List.of(n));
        return nodes.get(prefix + "-" + n);
    }

    private void connectHazelcastClient() {
        ClientConfig client = new ClientConfig();
        client.setClusterName(clusterName);
        client.setProperty("hazelcast.logging.type", "slf4j");
        client.setProperty("hazelcast.phone.home.enabled", "false");
        hazelcastPorts.forEach(port -> client.getNetworkConfig().addAddress("127.0.0.1:" + port));
        client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(20_000);
        hazelcast = HazelcastClient.newHazelcastClient(client);
    }

    /** The cluster's maps, read through a client (no member: it changes neither membership nor placement). */
    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    public TcpProxy postgres() {
        return postgres;
    }

    public TcpProxy redis() {
        return redis;
    }

    public StoresProcess stores() {
        return stores;
    }

    /** Every node started, by id, in start order (dead ones included). */
    public Map<String, NodeProcess> nodes() {
        return nodes;
    }

    public List<NodeProcess> alive() {
        return nodes.values().stream().filter(NodeProcess::alive).toList();
    }

    public NodeProcess node(String nodeId) {
        NodeProcess node = nodes.get(nodeId);
        assertThat(node).as("a node of this test named %s (nodes: %s)", nodeId, nodes.keySet()).isNotNull();
        return node;
    }

    public String idOf(NodeProcess node) {
        return nodes.entrySet().stream().filter(e -> e.getValue() == node).map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    /** The node whose HTTP port the player's socket is connected to. */
    public NodeProcess nodeServing(TestPlayer player) {
        return nodes.values().stream().filter(n -> n.port() == player.port()).findFirst().orElseThrow();
    }

    /** The node named by the match's replicated record: the one running it. */
    public String ownerOf(String matchId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            LiveMatchRecord record = hazelcast.<String, LiveMatchRecord>getMap(Addresses.LIVE_MATCHES_MAP).get(matchId);
            if (record != null) {
                return record.owner();
            }
            Eventually.sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("no record for match " + matchId + " in " + Addresses.LIVE_MATCHES_MAP);
    }

    /** A newly registered player whose socket is connected to {@code node} and told it has no match. */
    public TestPlayer playerOn(NodeProcess node, String namePrefix) {
        TestPlayer player = track(TestPlayer.register(clients, node.port(), namePrefix + System.nanoTime() % 100_000)).connect();
        player.next("no_match");
        return player;
    }

    /** The player's account, connected again through {@code node}; the old socket is closed first. */
    public TestPlayer reconnect(TestPlayer player, NodeProcess node) {
        player.close();
        return track(player.onPort(node.port())).connect();
    }

    /** Closed with the cluster. */
    public TestPlayer track(TestPlayer player) {
        players.add(player);
        return player;
    }

    /** A number from PostgreSQL itself (not through the proxy): the first column of the first row, 0 if none. */
    public long count(String sql, String parameter) {
        URI uri = URI.create(stores.postgresUri());
        String[] credentials = uri.getUserInfo() == null ? new String[] {""} : uri.getUserInfo().split(":", 2);
        String url = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath() + "?sslmode=disable";
        try (Connection connection = DriverManager.getConnection(url, credentials[0], credentials.length > 1 ? credentials[1] : "");
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new AssertionError("query failed: " + sql, e);
        }
    }

    public boolean storedInPostgres(String matchId) {
        return count("SELECT count(*) FROM matches WHERE id = ?::uuid", matchId) > 0;
    }

    /**
     * The match is in each reader's history exactly once, its result is no longer pending anywhere,
     * and PostgreSQL holds one match row, one row per reader, and stats counting it once.
     */
    public void awaitStoredOnceAndSettled(String matchId, List<TestPlayer> readers, Duration wait) {
        for (TestPlayer reader : readers) {
            Eventually.await(reader.username + "'s history lists " + matchId, wait, () -> historyIds(reader).contains(matchId));
        }
        Eventually.await("no result pending for " + matchId, wait,
            () -> !hazelcast.getMap(Addresses.PENDING_RESULTS_MAP).containsKey(matchId));
        for (TestPlayer reader : readers) {
            assertThat(historyIds(reader)).as("%s's history", reader.username).containsOnlyOnce(matchId);
        }
        assertThat(count("SELECT count(*) FROM matches WHERE id = ?::uuid", matchId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM match_players WHERE match_id = ?::uuid", matchId)).isEqualTo(readers.size());
        assertThat(hazelcast.getMap(Addresses.LIVE_MATCHES_MAP).containsKey(matchId)).as("still a live match").isFalse();
    }

    public static List<String> historyIds(TestPlayer reader) {
        return reader.getJson("/api/v1/me/matches").getJsonArray("items").stream()
            .map(JsonObject.class::cast).map(item -> item.getString("matchId")).toList();
    }

    public void printLogs() {
        nodes.values().forEach(node -> System.err.println(node.logTail()));
        if (stores != null) {
            System.err.println(stores.logTail());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return; // a start that failed closed it already
        }
        closed = true;
        try {
            players.forEach(ProcessCluster::closeQuietly);
            if (hazelcast != null) {
                hazelcast.shutdown();
            }
            if (postgres != null) {
                postgres.start(); // up again (if a test cut it), so that draining nodes can flush their results
                redis.start();
            }
        } finally {
            // Nodes before the stores they drain into; each close is a no-op for a node already gone.
            List<NodeProcess> started = new ArrayList<>(nodes.values());
            for (int i = started.size() - 1; i >= 0; i--) {
                closeQuietly(started.get(i));
            }
            if (postgres != null) {
                postgres.stop();
                redis.stop();
            }
            TestPlayer.await(clients.close());
            closeQuietly(stores);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception | AssertionError e) {
            System.err.println("Could not stop cleanly: " + e.getMessage());
        }
    }
}
