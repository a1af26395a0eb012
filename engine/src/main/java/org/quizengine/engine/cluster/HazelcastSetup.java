package org.quizengine.engine.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.internal.util.ConcurrencyUtil;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.quizengine.engine.config.ClusterOptions;
import org.quizengine.engine.match.ClusteredReplication;
import org.quizengine.shared.bus.Addresses;

/** Builds the Hazelcast configuration a clustered node joins with, from {@link ClusterOptions}. */
public final class HazelcastSetup {
    /**
     * The member attribute carrying a configured node id ({@code QUIZ_NODE_ID}), so that every member
     * can list the others by the ids they use for themselves (see {@link ClusterView#nodeIds()}).
     */
    public static final String NODE_ID_ATTRIBUTE = "quiz.node-id";
    /** The split-brain protection of the engine's maps ({@code cluster.minMembers}). */
    public static final String SPLIT_BRAIN_PROTECTION = "quiz.majority";
    /** How long a write waits for its backup's acknowledgement before it fails (Hazelcast's default: 5 s). */
    static final int BACKUP_ACK_TIMEOUT_MILLIS = 5_000;
    /** When a cluster first looks for another cluster to merge with, and how often after that. */
    static final int MERGE_FIRST_RUN_SECONDS = 10;
    static final int MERGE_NEXT_RUN_SECONDS = 5;

    private static ExecutorService callbackThreads;

    private HazelcastSetup() {
    }

    /** @param nodeId the configured node id, or {@code null} to go by the member's own id */
    public static HazelcastClusterManager clusterManager(ClusterOptions options, String nodeId) {
        reuseCallbackThreads();
        return new HazelcastClusterManager(config(options, nodeId));
    }

    /**
     * Hazelcast runs the callbacks of its asynchronous operations (Vert.x's shared maps and event-bus
     * subscriptions use them) on the common fork-join pool only when that pool has more than one
     * thread; on a two-core machine it has one, and Hazelcast starts a new thread for every callback
     * instead: 984 threads in 40 s in a profile of one node of three (benchmarks/RESULTS.md). A cached
     * pool keeps that behaviour (a callback never waits for another) and reuses its threads.
     */
    private static synchronized void reuseCallbackThreads() {
        if (callbackThreads == null) {
            AtomicInteger count = new AtomicInteger();
            callbackThreads = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "hz-callback-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            ConcurrencyUtil.setDefaultAsyncExecutor(callbackThreads);
        }
    }

    /** The configuration of a member: the one {@link #clusterManager} joins with. */
    public static Config config(ClusterOptions options, String nodeId) {
        Config config = new Config();
        config.setClusterName(options.name());
        if (nodeId != null) {
            config.getMemberAttributeConfig().setAttribute(NODE_ID_ATTRIBUTE, nodeId);
        }
        config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(options.heartbeatSeconds()));
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(options.maxNoHeartbeatSeconds()));
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        joinQuickly(config);
        keepLinksApartFromStalledConnections(config, options.ioThreads());
        // Vert.x's own structures: event-bus subscriptions and node info, each with one backup.
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
            .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        // The engine's shared maps survive the loss of one member: one synchronous backup each.
        config.addMapConfig(new MapConfig("quiz.*").setBackupCount(1));
        // Live matches are written once per step by fenced writes that run on the stored record: kept as
        // objects, a write neither decodes nor re-encodes the record, and its backup gets the write only.
        config.addMapConfig(new MapConfig(Addresses.LIVE_MATCHES_MAP).setBackupCount(1).setInMemoryFormat(InMemoryFormat.OBJECT));
        ClusteredReplication.register(config);
        guardAgainstSplitBrain(config, options);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(options.port()).setPortAutoIncrement(true);
        if (options.networkInterface() != null) {
            network.getInterfaces().setEnabled(true).addInterface(options.networkInterface());
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(options.discovery() == ClusterOptions.Discovery.MULTICAST);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(options.discovery() == ClusterOptions.Discovery.MEMBERS);
        options.members().forEach(join.getTcpIpConfig()::addMember);
        if (options.discovery() == ClusterOptions.Discovery.KUBERNETES) {
            kubernetes(join.getKubernetesConfig(), options);
        }
        return config;
    }

    /**
     * Hazelcast's built-in Kubernetes discovery. With a service DNS name it resolves the headless
     * Service's name to its pods' addresses and tries each on this node's cluster port (every pod uses
     * the same): no call to the Kubernetes API, so the pod needs no RBAC. Otherwise it asks the API for
     * the Service's endpoints (namespace and service name, or Hazelcast's defaults when unset).
     */
    private static void kubernetes(KubernetesConfig kubernetes, ClusterOptions options) {
        kubernetes.setEnabled(true);
        if (options.kubernetesServiceDns() != null) {
            kubernetes.setProperty("service-dns", options.kubernetesServiceDns());
            kubernetes.setProperty("service-port", Integer.toString(options.port()));
        }
        if (options.kubernetesNamespace() != null) {
            kubernetes.setProperty("namespace", options.kubernetesNamespace());
        }
        if (options.kubernetesServiceName() != null) {
            kubernetes.setProperty("service-name", options.kubernetesServiceName());
        }
    }

    /**
     * A node started into a running cluster must take matches within seconds of its start. Hazelcast's
     * master holds each join request back {@code hazelcast.wait.seconds.before.join} (5 s by default,
     * renewed by every request in the first {@code max.wait} seconds after the first one) so members
     * starting together join in one batch; a newcomer to a running cluster only waits. One second still
     * batches members started together (the local script, a rolling deploy) and caps the wait at 5 s.
     */
    private static void joinQuickly(Config config) {
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "5");
    }

    /**
     * A connection Hazelcast opens to a frozen (SIGSTOPped) member (the master's search for a
     * split-off cluster every few seconds, or a reconnect right after the member was suspected) never
     * finishes its handshake, and its outbound pipeline busy-loops on its I/O thread until the member
     * wakes: that thread then writes nothing else. With Hazelcast's three threads each way the two
     * survivors' own link often shared it, their heartbeats stopped, each took the other for dead 5 s
     * later and both lost their quorum (./bench chaos --faults freeze lost 61 to 150 players in 4 of
     * 8 runs; benchmarks/RESULTS.md, "Chaos"). Hazelcast gives each new connection the next thread in
     * turn, so with {@code ioThreads} (8 by default) each way the looping one rarely lands on a live
     * link's thread: it lowers the odds, it cannot rule it out. An idle I/O thread costs nothing. The
     * I/O balancer is off: it moves connections between threads by load, and the looping connection
     * is the busiest there is.
     */
    private static void keepLinksApartFromStalledConnections(Config config, int ioThreads) {
        config.setProperty("hazelcast.io.input.thread.count", Integer.toString(ioThreads));
        config.setProperty("hazelcast.io.output.thread.count", Integer.toString(ioThreads));
        config.setProperty("hazelcast.io.balancer.interval.seconds", "-1");
    }

    /**
     * What keeps a side of a split cluster, or a node that was frozen and wakes up, from writing over
     * the cluster's state (docs/cluster.md, sections 2 and 5.3):
     * <ul>
     *   <li>with {@code minMembers} above 1, a side with fewer members can neither read nor write the
     *       {@code quiz.*} maps (Hazelcast's split-brain protection);</li>
     *   <li>a write whose backup does not acknowledge it fails instead of succeeding after the
     *       timeout: a node woken from a pause may still take its stale copy for the primary, and
     *       the backup it writes to no longer counts it as a member;</li>
     *   <li>on a merge, the entries of the side being merged in (the smaller) are dropped, not put
     *       back, and merges are looked for every few seconds rather than minutes.</li>
     * </ul>
     */
    private static void guardAgainstSplitBrain(Config config, ClusterOptions options) {
        config.setProperty("hazelcast.operation.fail.on.indeterminate.state", "true");
        config.setProperty("hazelcast.operation.backup.timeout.millis", Integer.toString(BACKUP_ACK_TIMEOUT_MILLIS));
        config.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_FIRST_RUN_SECONDS));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_NEXT_RUN_SECONDS));
        if (options.minMembers() > 1) {
            config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true,
                options.minMembers()).setProtectOn(SplitBrainProtectionOn.READ_WRITE));
        }
        for (String engineMaps : List.of("quiz.*", Addresses.LIVE_MATCHES_MAP)) {
            MapConfig maps = config.getMapConfig(engineMaps);
            maps.setMergePolicyConfig(new MergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName()));
            if (options.minMembers() > 1) {
                maps.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
            }
        }
    }
}
