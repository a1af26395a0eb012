package org.quizengine.bench.servers;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.local.StoresProcess;

/**
 * Nodes the harness starts on this machine, each in its own JVM, with one PostgreSQL and one Redis
 * in another (so a node killed with SIGKILL never takes the stores with it). More than one node
 * form a loopback cluster under a name of their own.
 */
public final class LocalNodes implements Target {
    private final StoresProcess stores;
    private final List<NodeProcess> nodes;

    private LocalNodes(StoresProcess stores, List<NodeProcess> nodes) {
        this.stores = stores;
        this.nodes = nodes;
    }

    /**
     * Starts the stores, then {@code count} nodes with {@code settings} ({@code QUIZ_*}) and
     * {@code jvmOptions}, and returns once every node answers {@code /health/ready}.
     */
    public static LocalNodes start(int count, Map<String, String> settings, List<String> jvmOptions) {
        StoresProcess stores = StoresProcess.start();
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
            String cluster = "quiz-bench-" + UUID.randomUUID();
            List<Integer> hazelcastPorts = IntStream.range(0, count).mapToObj(i -> NodeProcess.freePort()).toList();
            List<Map<String, String>> envs = IntStream.range(0, count).mapToObj(i -> {
                Map<String, String> env = new java.util.HashMap<>(settings);
                env.putAll(stores.env());
                env.put("QUIZ_NODE_ID", "node-" + (i + 1));
                env.put("QUIZ_AUTH_JWT_SECRET", secret);
                if (count > 1) {
                    env.putAll(NodeProcess.clusterMember(cluster, hazelcastPorts.get(i), hazelcastPorts));
                }
                return env;
            }).toList();
            // The first becomes the oldest member; the others join it together.
            nodes.add(NodeProcess.start(envs.get(0), jvmOptions));
            List<CompletableFuture<NodeProcess>> joining = envs.subList(1, count).stream()
                .map(env -> CompletableFuture.supplyAsync(() -> NodeProcess.start(env, jvmOptions))).toList();
            RuntimeException failed = null;
            for (CompletableFuture<NodeProcess> node : joining) {
                try {
                    nodes.add(node.join());
                } catch (RuntimeException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                throw failed;
            }
            return new LocalNodes(stores, nodes);
        } catch (RuntimeException e) {
            new LocalNodes(stores, nodes).close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return nodes.size() + " local node(s), logs " + nodes.stream().map(n -> n.log().toString()).toList()
            + ", stores " + stores.postgresUri().replaceAll("//[^@/]*@", "//");
    }

    @Override
    public List<String> urls() {
        return nodes.stream().map(node -> "http://127.0.0.1:" + node.port()).toList();
    }

    @Override
    public List<Server> servers() {
        return IntStream.range(0, nodes.size())
            .mapToObj(i -> Server.local("node-" + (i + 1), urls().get(i), nodes.get(i).pid())).toList();
    }

    @Override
    public Optional<StoreUris> stores() {
        return Optional.of(new StoreUris(stores.postgresUri(), stores.redisUri()));
    }

    @Override
    public Optional<Processes> processes() {
        return Optional.of(new Processes(nodes.stream().filter(NodeProcess::alive).map(NodeProcess::pid).toList(),
            stores.postgresPid(), stores.redisPid()));
    }

    /** SIGKILL to the node at {@code index} (0-based): no drain, no shutdown hook. */
    public void kill(int index) {
        nodes.get(index).kill9();
    }

    /** SIGTERM to every node still running (they drain), then the stores. Problems are printed, not thrown. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = nodes.stream()
            .map(node -> CompletableFuture.runAsync(node::close)).toList();
        for (CompletableFuture<Void> stop : stopping) {
            try {
                stop.join();
            } catch (RuntimeException e) {
                System.err.println("a node did not stop cleanly: " + e.getMessage());
            }
        }
        try {
            stores.close();
        } catch (RuntimeException e) {
            System.err.println("the stores did not stop cleanly: " + e.getMessage());
        }
    }
}
