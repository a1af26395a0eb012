package org.quizengine.bench.servers;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.local.StoresProcess;
import org.quizengine.engine.local.TcpProxy;
import org.quizengine.engine.match.LiveMatchRecord;
import org.quizengine.shared.bus.Addresses;

/**
 * The chaos run's cluster: nodes in their own JVMs sharing one PostgreSQL and Redis in another, which
 * the nodes reach only through a {@link TcpProxy} each, so a store can be cut and restored under
 * load. Each node holds a slot (an HTTP port and a Hazelcast port); a node killed is replaced in its
 * slot by a new node (a new node id, the same ports), as an operator would, so the players' list of
 * URLs never changes. A Hazelcast client (not a member) reads which node runs which match.
 */
public final class ChaosNodes implements Target {
    private final StoresProcess stores;
    private final Vertx proxies;
    private final TcpProxy postgres;
    private final TcpProxy redis;
    private final Map<String, String> settings;
    private final List<String> jvmOptions;
    private final String cluster = "quiz-chaos-" + UUID.randomUUID();
    private final String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<Integer> hazelcastPorts = new ArrayList<>();
    private final List<NodeProcess> slots = new ArrayList<>();
    private final List<String> nodeIds = new ArrayList<>();
    private HazelcastInstance hazelcast;
    private int started;

    private ChaosNodes(StoresProcess stores, Vertx proxies, Map<String, String> settings, List<String> jvmOptions) {
        this.stores = stores;
        this.proxies = proxies;
        this.settings = settings;
        this.jvmOptions = jvmOptions;
        this.postgres = new TcpProxy(proxies, URI.create(stores.postgresUri()), NodeProcess.freePort());
        this.redis = new TcpProxy(proxies, URI.create(stores.redisUri()), NodeProcess.freePort());
    }

    /** Starts the stores, their proxies and {@code count} nodes (the first alone, the oldest member), ready. */
    public static ChaosNodes start(int count, Map<String, String> settings, List<String> jvmOptions) {
        ChaosNodes nodes = new ChaosNodes(StoresProcess.start(), Vertx.vertx(), settings, jvmOptions);
        try {
            nodes.postgres.start();
            nodes.redis.start();
            for (int i = 0; i < count; i++) {
                nodes.httpPorts.add(NodeProcess.freePort());
                nodes.hazelcastPorts.add(NodeProcess.freePort());
                nodes.slots.add(null);
                nodes.nodeIds.add(null);
            }
            // All together: with split-brain protection (minMembers 2) a node alone is never ready.
            nodes.fill(IntStream.range(0, count).boxed().toList());
            nodes.hazelcast = nodes.connectClient();
            return nodes;
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    /** Starts a new node in each of {@code slots}, together, and waits until every one is ready. */
    private void fill(List<Integer> slotsToFill) {
        List<CompletableFuture<NodeProcess>> starting = new ArrayList<>();
        for (int slot : slotsToFill) {
            String nodeId = "node-" + (++started);
            nodeIds.set(slot, nodeId);
            Map<String, String> env = env(slot, nodeId);
            starting.add(CompletableFuture.supplyAsync(() -> NodeProcess.start(env, jvmOptions)));
        }
        RuntimeException failed = null;
        for (int i = 0; i < starting.size(); i++) {
            try {
                slots.set(slotsToFill.get(i), starting.get(i).join());
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private Map<String, String> env(int slot, String nodeId) {
        Map<String, String> env = new HashMap<>(settings);
        env.put("QUIZ_STORAGE_POSTGRES_URI", postgres.uri());
        env.put("QUIZ_STORAGE_REDIS_URI", redis.uri());
        env.put("QUIZ_NODE_ID", nodeId);
        env.put("QUIZ_AUTH_JWT_SECRET", secret);
        env.put("QUIZ_HTTP_PORT", Integer.toString(httpPorts.get(slot)));
        env.putAll(NodeProcess.clusterMember(cluster, hazelcastPorts.get(slot), hazelcastPorts));
        return env;
    }

    private HazelcastInstance connectClient() {
        ClientConfig client = new ClientConfig();
        client.setClusterName(cluster);
        client.setProperty("hazelcast.logging.type", "slf4j");
        client.setProperty("hazelcast.phone.home.enabled", "false");
        hazelcastPorts.forEach(port -> client.getNetworkConfig().addAddress("127.0.0.1:" + port));
        client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(20_000);
        return HazelcastClient.newHazelcastClient(client);
    }

    /** Which node runs each live match, by node id, from the replicated records; empty if they cannot be read. */
    public Map<String, String> ownerByMatch() {
        Map<String, String> owners = new HashMap<>();
        try {
            hazelcast.<String, LiveMatchRecord>getMap(Addresses.LIVE_MATCHES_MAP).forEach((matchId, record) ->
                owners.put(matchId, record.owner()));
        } catch (RuntimeException e) {
            System.err.println("cannot read the live matches' owners: " + e.getMessage());
        }
        return owners;
    }

    public int size() {
        return slots.size();
    }

    /** The id of the node now in {@code slot} (0-based). */
    public String nodeId(int slot) {
        return nodeIds.get(slot);
    }

    public String url(int slot) {
        return "http://127.0.0.1:" + httpPorts.get(slot);
    }

    public boolean alive(int slot) {
        return slots.get(slot) != null && slots.get(slot).alive();
    }

    /** SIGKILL to the node in {@code slot}: no drain, no shutdown hook. */
    public void kill(int slot) {
        slots.get(slot).kill9();
    }

    public void freeze(int slot) {
        slots.get(slot).freeze();
    }

    public void thaw(int slot) {
        slots.get(slot).thaw();
    }

    /** A new node (a new id, a fresh data directory) in the dead node's slot, ready; returns its id. */
    public String replace(int slot) {
        if (alive(slot)) {
            throw new IllegalStateException("the node in slot " + slot + " still runs");
        }
        fill(List.of(slot));
        return nodeIds.get(slot);
    }

    public TcpProxy postgres() {
        return postgres;
    }

    public TcpProxy redis() {
        return redis;
    }

    @Override
    public String describe() {
        return slots.size() + " local nodes behind store proxies (PostgreSQL " + postgres.uri().replaceAll("//[^@/]*@", "//")
            + ", Redis " + redis.uri().replaceAll("//[^@/]*@", "//") + "), logs "
            + slots.stream().filter(n -> n != null).map(n -> n.log().toString()).toList();
    }

    @Override
    public List<String> urls() {
        return IntStream.range(0, httpPorts.size()).mapToObj(this::url).toList();
    }

    /**
     * The slots as servers, named {@code node-1..N} by slot. Without a pid: a replacement has another,
     * and a node that does not answer (dead, frozen) is simply left out of a reading.
     */
    @Override
    public List<Server> servers() {
        return IntStream.range(0, httpPorts.size()).mapToObj(i -> Server.remote("node-" + (i + 1), url(i))).toList();
    }

    /** The stores themselves, not the proxies: the audit and the result watch read them during an outage. */
    @Override
    public Optional<StoreUris> stores() {
        return Optional.of(new StoreUris(stores.postgresUri(), stores.redisUri()));
    }

    /** The nodes now in the slots (a replacement instead of the node it replaced) and the stores. */
    @Override
    public Optional<Processes> processes() {
        return Optional.of(new Processes(slots.stream().filter(n -> n != null && n.alive()).map(NodeProcess::pid).toList(),
            stores.postgresPid(), stores.redisPid()));
    }

    /** Stores reachable again, every node stopped (SIGTERM, after SIGCONT if frozen), then the stores. */
    @Override
    public void close() {
        if (hazelcast != null) {
            hazelcast.shutdown();
        }
        postgres.start();
        redis.start();
        List<CompletableFuture<Void>> stopping = slots.stream().filter(n -> n != null)
            .map(node -> CompletableFuture.runAsync(node::close)).toList();
        for (CompletableFuture<Void> stop : stopping) {
            try {
                stop.join();
            } catch (RuntimeException e) {
                System.err.println("a node did not stop cleanly: " + e.getMessage());
            }
        }
        postgres.stop();
        redis.stop();
        proxies.close();
        try {
            stores.close();
        } catch (RuntimeException e) {
            System.err.println("the stores did not stop cleanly: " + e.getMessage());
        }
    }
}
