package org.quizengine.engine.cluster;

import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.local.StoresProcess;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.quizengine.engine.match.Replication;
import org.quizengine.engine.support.TestPlayer;

/**
 * Three nodes in their own JVMs (one cluster, a fresh name per run) and one PostgreSQL and Redis in
 * a fourth; the nodes reach PostgreSQL through a TCP proxy this test can cut. A node is killed with
 * SIGKILL, as the kernel would: no drain, no shutdown hook.
 *
 * <ol>
 *   <li>The node running a live match dies mid-question: the match carries on elsewhere from its
 *       replicated state, an answer acknowledged before the crash is in the reveal, and the result
 *       is stored exactly once.</li>
 *   <li>The node holding a finished match's unwritten result (PostgreSQL unreachable) dies: once
 *       PostgreSQL is back, a surviving node stores it, exactly once.</li>
 * </ol>
 *
 * Which node runs a match is read where the cluster keeps it: the match's record in the replicated
 * map {@value Replication#MAP_NAME}, through a Hazelcast client (a client is no member, so it
 * changes neither membership nor placement).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashFailoverTest {
    private static final String CLUSTER = "quiz-crash-" + UUID.randomUUID();
    private static final String JWT_SECRET = "crash-failover-" + UUID.randomUUID();
    private static final String PENDING_RESULTS = "quiz.pending-results";
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(10);
    /** The outbox backs off up to 30 s between attempts; a surviving node retries from 0.5 s when the member leaves. */
    private static final Duration STORED_AFTER_POSTGRES_RETURNS = Duration.ofSeconds(35);

    private static StoresProcess stores;
    private static Vertx clients;
    private static PostgresProxy postgres;
    private static List<Integer> hazelcastPorts;
    private static final List<NodeProcess> nodes = new ArrayList<>();
    private static final Map<String, NodeProcess> nodesById = new HashMap<>();
    private static HazelcastInstance hazelcast;
    private static final List<TestPlayer> players = new ArrayList<>();

    /** A failure seen by a client is explained by the servers' logs: print their tails. */
    @RegisterExtension
    static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            nodes.forEach(node -> System.err.println(node.logTail()));
            if (stores != null) {
                System.err.println(stores.logTail());
            }
        }
    };

    @BeforeAll
    static void startStoresProxyAndThreeNodes() {
        stores = StoresProcess.start();
        clients = Vertx.vertx();
        postgres = new PostgresProxy(clients, URI.create(stores.postgresUri()), NodeProcess.freePort());
        postgres.start();
        hazelcastPorts = List.of(NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort());
        // The first is the oldest member (the leader, with the matchmaker); the other two join it together.
        startNodes(List.of(0));
        startNodes(List.of(1, 2));
        ClientConfig client = new ClientConfig();
        client.setClusterName(CLUSTER);
        client.setProperty("hazelcast.logging.type", "slf4j");
        client.setProperty("hazelcast.phone.home.enabled", "false");
        hazelcastPorts.forEach(port -> client.getNetworkConfig().addAddress("127.0.0.1:" + port));
        client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(20_000);
        hazelcast = HazelcastClient.newHazelcastClient(client);
    }

    private static void startNodes(List<Integer> indexes) {
        List<CompletableFuture<NodeProcess>> starting = indexes.stream()
            .map(i -> CompletableFuture.supplyAsync(() -> NodeProcess.start(nodeEnv("crash-" + (i + 1), hazelcastPorts.get(i)))))
            .toList();
        RuntimeException failed = null;
        for (int i = 0; i < starting.size(); i++) {
            try {
                NodeProcess node = starting.get(i).join();
                nodes.add(node); // kept even if another failed to start, so that @AfterAll stops it
                nodesById.put("crash-" + (indexes.get(i) + 1), node);
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private static Map<String, String> nodeEnv(String id, int hazelcastPort) {
        Map<String, String> env = new HashMap<>(stores.env());
        env.put("QUIZ_STORAGE_POSTGRES_URI", postgres.uri()); // through the proxy, which the test can cut
        env.putAll(NodeProcess.clusterMember(CLUSTER, hazelcastPort, hazelcastPorts));
        env.put("QUIZ_NODE_ID", id);
        env.put("QUIZ_MATCH_QUESTION_COUNT", "3");
        env.put("QUIZ_MATCH_QUESTION_MILLIS", "4000");
        env.put("QUIZ_MATCH_COUNTDOWN_MILLIS", "100");
        env.put("QUIZ_MATCH_REVEAL_MILLIS", "300");
        env.put("QUIZ_MATCH_RECONNECT_GRACE_MILLIS", "30000");
        env.put("QUIZ_MATCH_LINGER_MILLIS", "2000");
        env.put("QUIZ_MATCHMAKING_FILL_TIMEOUT_MILLIS", "60000");
        env.put("QUIZ_AUTH_ARGON2_MEMORY_KIB", "1024");
        env.put("QUIZ_AUTH_ARGON2_ITERATIONS", "1");
        env.put("QUIZ_AUTH_JWT_SECRET", JWT_SECRET); // one secret: every node accepts every node's tokens
        return env;
    }

    @AfterAll
    static void stopEverything() {
        try {
            players.forEach(CrashFailoverTest::closeQuietly);
            if (hazelcast != null) {
                hazelcast.shutdown();
            }
            if (postgres != null) {
                postgres.start(); // up again (if a test stopped it), so that draining nodes can flush their results
            }
        } finally {
            // Nodes before the stores they drain into; each close is a no-op for a node already gone.
            for (int i = nodes.size() - 1; i >= 0; i--) {
                closeQuietly(nodes.get(i));
            }
            if (postgres != null) {
                postgres.stop();
            }
            if (clients != null) {
                TestPlayer.await(clients.close());
            }
            closeQuietly(stores);
        }
    }

    @Test
    @Order(1)
    void killingTheNodeThatRunsAMatchMidQuestionLosesNeitherTheMatchNorAnAcknowledgedAnswer() {
        TestPlayer ada = playerOn(nodes.get(0), "ka");
        TestPlayer bob = playerOn(nodes.get(1), "kb");
        UUID adaId = ada.userId;
        UUID bobId = bob.userId;
        for (TestPlayer p : List.of(ada, bob)) {
            p.send(new JsonObject().put("type", "quick_match").put("size", 2));
        }
        String matchId = ada.next("match_starting").getString("matchId");
        assertThat(bob.next("match_starting").getString("matchId")).isEqualTo(matchId);
        ada.next("question", f -> f.getInteger("index") == 0);
        bob.next("question", f -> f.getInteger("index") == 0);

        // Each player on one of the two nodes that do not run the match, so both sockets outlive it.
        String ownerId = ownerOf(matchId);
        NodeProcess owner = node(ownerId);
        NodeProcess adaNode = nodeServing(ada);
        NodeProcess bobNode = nodeServing(bob);
        if (adaNode == owner) {
            ada = reconnect(ada, nodes.stream().filter(n -> n != owner && n != bobNode).findFirst().orElseThrow(), matchId);
        } else if (bobNode == owner) {
            bob = reconnect(bob, nodes.stream().filter(n -> n != owner && n != adaNode).findFirst().orElseThrow(), matchId);
        }
        assertThat(Set.of(nodeServing(ada), nodeServing(bob))).doesNotContain(owner).hasSize(2);

        ada.send(answer(0, 2));
        ada.next("answer_accepted", f -> f.getInteger("index") == 0);
        int adaMark = ada.frameCount();
        int bobMark = bob.frameCount();

        long killedAt = System.nanoTime();
        owner.kill9();

        // bob has not answered question 0: he keeps trying until the match, wherever it now runs,
        // judges the answer (taken if the question is still open, refused as closed if its deadline passed).
        Set<String> judgedRefusals = Set.of("QUESTION_CLOSED", "WRONG_QUESTION");
        Predicate<JsonObject> judged = f -> ("answer_accepted".equals(f.getString("type")) && f.getInteger("index") == 0)
            || ("error".equals(f.getString("type")) && judgedRefusals.contains(f.getString("code")));
        Optional<JsonObject> bobsAnswer = Optional.empty();
        while (bobsAnswer.isEmpty() && System.nanoTime() - killedAt < FAILOVER_BOUND.toNanos()) {
            bob.send(answer(0, 1));
            bobsAnswer = bob.firstSince(bobMark, judged, Duration.ofMillis(250));
        }
        assertThat(bobsAnswer).as("the match answered again within %s of the kill", FAILOVER_BOUND).isPresent();

        // The next thing each player hears from the match (errors from the gap are not from the match).
        Predicate<JsonObject> fromTheMatch = f -> !"error".equals(f.getString("type"));
        JsonObject adaFirst = ada.firstSince(adaMark, fromTheMatch, remaining(killedAt)).orElseThrow(
            () -> new AssertionError("ada heard nothing from the match within " + FAILOVER_BOUND + " of the kill"));
        JsonObject bobFirst = bob.firstSince(bobMark, fromTheMatch, remaining(killedAt)).orElseThrow(
            () -> new AssertionError("bob heard nothing from the match within " + FAILOVER_BOUND + " of the kill"));
        String newOwner = ownerOf(matchId);
        System.out.printf("[crash-failover] owner %s killed mid-question 0; match now on %s. Kill -> next event: "
                + "ada %d ms (%s), bob %d ms (%s); bob's answer to question 0 judged after %d ms (%s)%n",
            ownerId, newOwner, millisSince(killedAt, ada.arrivedAt(adaFirst)), describe(adaFirst),
            millisSince(killedAt, bob.arrivedAt(bobFirst)), describe(bobFirst),
            millisSince(killedAt, bob.arrivedAt(bobsAnswer.get())), describe(bobsAnswer.get()));
        assertThat(newOwner).as("the match runs on a surviving node").isNotEqualTo(ownerId).isIn(nodesById.keySet());
        boolean bobAnswered = "answer_accepted".equals(bobsAnswer.get().getString("type"));

        // The answer acknowledged before the crash is in the reveal, for both players.
        for (TestPlayer p : List.of(ada, bob)) {
            JsonObject reveal0 = p.next("reveal", f -> f.getInteger("index") == 0);
            assertThat(optionOf(reveal0, adaId)).as("ada's acknowledged answer, as %s sees it", p.username).isEqualTo(2);
            assertThat(optionOf(reveal0, bobId)).isEqualTo(bobAnswered ? 1 : null);
        }
        for (int i = 1; i < 3; i++) {
            int index = i;
            for (TestPlayer p : List.of(ada, bob)) {
                p.next("question", f -> f.getInteger("index") == index);
                p.send(answer(index, 0));
                p.next("answer_accepted", f -> f.getInteger("index") == index);
            }
        }
        JsonObject adaFinished = ada.next("match_finished");
        JsonObject bobFinished = bob.next("match_finished");
        assertThat(adaFinished.getString("matchId")).isEqualTo(matchId);
        assertThat(bobFinished.getJsonArray("ranking")).isEqualTo(adaFinished.getJsonArray("ranking"));

        awaitStoredOnceAndSettled(matchId, List.of(ada, bob), Duration.ofSeconds(20));
        JsonObject detail = ada.getJson("/api/v1/matches/" + matchId);
        JsonObject stored0 = detail.getJsonArray("questions").getJsonObject(0);
        assertThat(stored0.getJsonArray("answers").stream().map(JsonObject.class::cast)
            .filter(a -> a.getString("userId").equals(adaId.toString())).map(a -> a.getInteger("option")).toList())
            .as("ada's acknowledged answer, as stored").containsExactly(2);
    }

    @Test
    @Order(2)
    void aResultWaitingForPostgresOutlivesTheNodeThatHeldIt() {
        List<NodeProcess> alive = nodes.stream().filter(NodeProcess::alive).toList();
        assertThat(alive).hasSizeGreaterThanOrEqualTo(2);
        // Registering needs PostgreSQL; playing does not.
        TestPlayer cy = playerOn(alive.get(0), "oc");
        TestPlayer di = playerOn(alive.get(1), "od");
        postgres.stop();

        cy.send(new JsonObject().put("type", "create_lobby").put("maxPlayers", 2).put("questionCount", 1)
            .put("secondsPerQuestion", 5));
        String code = cy.next("lobby").getString("code");
        di.send(new JsonObject().put("type", "join_lobby").put("code", code));
        di.next("lobby");
        cy.next("lobby", f -> f.getJsonArray("players").size() == 2);
        cy.send(new JsonObject().put("type", "start_lobby"));
        String matchId = cy.next("match_starting").getString("matchId");
        assertThat(di.next("match_starting").getString("matchId")).isEqualTo(matchId);
        String ownerId = ownerOf(matchId);
        NodeProcess owner = node(ownerId);
        for (TestPlayer p : List.of(cy, di)) {
            p.next("question", f -> f.getInteger("index") == 0);
            p.send(answer(0, 1));
        }
        assertThat(cy.next("match_finished").getString("matchId")).isEqualTo(matchId);
        di.next("match_finished");

        // The match is over on its node (its live record is dropped once the result is in the outbox):
        // from here only the outbox holds the result, in the cluster's map, not in PostgreSQL. Its
        // node keeps trying to write it for a moment before it dies.
        await("the finished match leaves " + Replication.MAP_NAME, Duration.ofSeconds(5),
            () -> !hazelcast.getMap(Replication.MAP_NAME).containsKey(matchId));
        sleep(Duration.ofSeconds(1));
        assertThat(hazelcast.getMap(PENDING_RESULTS).containsKey(matchId)).as("the result waits in the outbox").isTrue();
        assertThat(count("SELECT count(*) FROM matches WHERE id = ?::uuid", matchId)).isZero();

        long killedAt = System.nanoTime();
        owner.kill9();
        await("the cluster sees " + ownerId + " gone", FAILOVER_BOUND,
            () -> hazelcast.getCluster().getMembers().size() == alive.size() - 1);
        long goneAt = System.nanoTime();
        // PostgreSQL stays away a little longer, so the survivors' first attempts fail too.
        sleep(Duration.ofSeconds(2));
        assertThat(count("SELECT count(*) FROM matches WHERE id = ?::uuid", matchId)).isZero();
        postgres.start();
        long backAt = System.nanoTime();

        NodeProcess survivor = alive.stream().filter(n -> n != owner).findFirst().orElseThrow();
        TestPlayer cyAtSurvivor = track(cy.onPort(survivor.port()));
        TestPlayer diAtSurvivor = track(di.onPort(survivor.port()));
        await("the result is in PostgreSQL", STORED_AFTER_POSTGRES_RETURNS,
            () -> count("SELECT count(*) FROM matches WHERE id = ?::uuid", matchId) > 0);
        System.out.printf("[crash-failover] %s killed holding an unwritten result: cluster saw it gone after %d ms; "
                + "PostgreSQL back %d ms after the kill; result stored %d ms after PostgreSQL came back%n",
            ownerId, millisSince(killedAt, goneAt), millisSince(killedAt, backAt), millisSince(backAt, System.nanoTime()));
        awaitStoredOnceAndSettled(matchId, List.of(cyAtSurvivor, diAtSurvivor), Duration.ofSeconds(10));
    }

    /**
     * The match is in each player's history exactly once, its result is no longer pending anywhere,
     * and PostgreSQL holds one match row, one row per player, and stats counting it once.
     */
    private static void awaitStoredOnceAndSettled(String matchId, List<TestPlayer> readers, Duration wait) {
        for (TestPlayer reader : readers) {
            await(reader.username + "'s history lists " + matchId, wait, () -> historyIds(reader).contains(matchId));
        }
        await("no result pending for " + matchId, wait, () -> !hazelcast.getMap(PENDING_RESULTS).containsKey(matchId));
        for (TestPlayer reader : readers) {
            assertThat(historyIds(reader)).as("%s's history", reader.username).containsExactly(matchId);
            assertThat(count("SELECT matches_played FROM player_stats WHERE user_id = ?::uuid", reader.userId.toString()))
                .as("%s's matches played", reader.username).isEqualTo(1);
        }
        assertThat(count("SELECT count(*) FROM matches WHERE id = ?::uuid", matchId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM match_players WHERE match_id = ?::uuid", matchId)).isEqualTo(readers.size());
        assertThat(hazelcast.getMap(Replication.MAP_NAME).containsKey(matchId)).as("still a live match").isFalse();
    }

    private static List<String> historyIds(TestPlayer reader) {
        return reader.getJson("/api/v1/me/matches").getJsonArray("items").stream()
            .map(JsonObject.class::cast).map(item -> item.getString("matchId")).toList();
    }

    /** The node named by the match's replicated record: the one running it. */
    private static String ownerOf(String matchId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Object record = hazelcast.getMap(Replication.MAP_NAME).get(matchId);
            if (record != null) {
                return new JsonObject(record.toString()).getString("owner");
            }
            sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("no record for match " + matchId + " in " + Replication.MAP_NAME);
    }

    private static NodeProcess node(String nodeId) {
        NodeProcess node = nodesById.get(nodeId);
        assertThat(node).as("a node of this test named %s (nodes: %s)", nodeId, nodesById.keySet()).isNotNull();
        return node;
    }

    private static NodeProcess nodeServing(TestPlayer player) {
        return nodes.stream().filter(n -> n.port() == player.port()).findFirst().orElseThrow();
    }

    /** The player drops its socket and reconnects through {@code node}, back in the match. */
    private static TestPlayer reconnect(TestPlayer player, NodeProcess node, String matchId) {
        player.close();
        TestPlayer moved = track(player.onPort(node.port())).connect();
        moved.next("match_state", f -> matchId.equals(f.getString("matchId")));
        return moved;
    }

    private static TestPlayer playerOn(NodeProcess node, String prefix) {
        TestPlayer player = track(TestPlayer.register(clients, node.port(), prefix + System.nanoTime() % 100_000)).connect();
        player.next("no_match");
        return player;
    }

    private static TestPlayer track(TestPlayer player) {
        players.add(player);
        return player;
    }

    private static JsonObject answer(int index, int option) {
        return new JsonObject().put("type", "answer").put("index", index).put("option", option);
    }

    private static Integer optionOf(JsonObject reveal, UUID userId) {
        return reveal.getJsonArray("results").stream().map(JsonObject.class::cast)
            .filter(r -> r.getString("userId").equals(userId.toString())).findFirst().orElseThrow().getInteger("option");
    }

    private static String describe(JsonObject frame) {
        String type = frame.getString("type");
        if (frame.containsKey("index")) {
            return type + " " + frame.getInteger("index");
        }
        return frame.containsKey("code") ? type + " " + frame.getString("code") : type;
    }

    /** A number from PostgreSQL itself (not through the proxy): the first column of the first row, 0 if none. */
    private static long count(String sql, String parameter) {
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

    private static void await(String what, Duration wait, BooleanSupplier condition) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + wait + ": " + what);
            }
            sleep(Duration.ofMillis(100));
        }
    }

    private static Duration remaining(long sinceNanos) {
        return Duration.ofNanos(Math.max(1, FAILOVER_BOUND.toNanos() - (System.nanoTime() - sinceNanos)));
    }

    private static long millisSince(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
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

    /**
     * PostgreSQL as the nodes see it: a TCP forwarder on a fixed loopback port. {@link #stop()} makes
     * PostgreSQL unreachable at once (listener closed and every open connection cut, as a network
     * partition would); {@link #start()} listens on the same port again.
     */
    static final class PostgresProxy {
        private final Vertx vertx;
        private final URI target;
        private final int port;
        private final NetClient client;
        private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
        private volatile NetServer server;

        PostgresProxy(Vertx vertx, URI target, int port) {
            this.vertx = vertx;
            this.target = target;
            this.port = port;
            this.client = vertx.createNetClient();
        }

        /** The PostgreSQL URI with this proxy in place of the server. */
        String uri() {
            return target.getScheme() + "://" + (target.getUserInfo() == null ? "" : target.getUserInfo() + "@")
                + "127.0.0.1:" + port + target.getPath();
        }

        synchronized void start() {
            if (server != null) {
                return;
            }
            NetServer listening = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(port)
                .setReuseAddress(true));
            listening.connectHandler(in -> forward(listening, in));
            server = TestPlayer.await(listening.listen());
        }

        synchronized void stop() {
            NetServer listening = server;
            if (listening == null) {
                return;
            }
            server = null;
            TestPlayer.await(listening.close());
            List<Future<Void>> closing = open.stream().map(NetSocket::close).toList();
            TestPlayer.await(Future.join(closing));
            open.clear();
        }

        private void forward(NetServer acceptedBy, NetSocket in) {
            in.pause();
            open.add(in);
            in.closeHandler(v -> open.remove(in));
            client.connect(target.getPort(), target.getHost()).onComplete(connected -> {
                if (connected.failed()) {
                    in.close();
                    return;
                }
                NetSocket out = connected.result();
                open.add(out);
                out.closeHandler(v -> {
                    open.remove(out);
                    in.close();
                });
                in.closeHandler(v -> {
                    open.remove(in);
                    out.close();
                });
                if (server != acceptedBy || !open.contains(in)) {
                    // Stopped (or the client went) while connecting.
                    in.close();
                    out.close();
                    return;
                }
                out.pipeTo(in);
                in.pipeTo(out);
            });
        }
    }
}
