package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.engine.config.ClusterOptions;
import org.quizengine.engine.config.ConfigException;
import org.quizengine.engine.config.ConfigLoader;
import org.quizengine.engine.config.NodeOptions;
import org.quizengine.engine.support.Eventually;
import org.quizengine.shared.LoopbackPorts;

/**
 * The Hazelcast configuration a node builds for Kubernetes discovery from its {@code QUIZ_CLUSTER_*}
 * variables (deploy/k8s uses the DNS lookup mode), and that mode finding a real member: two members
 * on loopback that discover each other by resolving a DNS name ({@code localhost}), as pods resolve
 * their headless Service.
 */
class KubernetesDiscoveryTest {
    private static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";

    private final List<HazelcastInstance> members = new ArrayList<>();

    @AfterEach
    void stop() {
        members.forEach(HazelcastInstance::shutdown);
    }

    @Test
    void aServiceDnsNameSelectsTheDnsLookupModeOnTheNodesClusterPort(@TempDir Path dir) {
        ClusterOptions options = options(dir, "QUIZ_CLUSTER_DISCOVERY", "kubernetes",
            "QUIZ_CLUSTER_KUBERNETES_SERVICE_DNS", "quiz-hazelcast.quiz.svc.cluster.local", "QUIZ_CLUSTER_PORT", "5701",
            "QUIZ_CLUSTER_INTERFACE", "");
        JoinConfig join = HazelcastSetup.config(options, "node-a").getNetworkConfig().getJoin();

        KubernetesConfig kubernetes = join.getKubernetesConfig();
        assertThat(kubernetes.isEnabled()).isTrue();
        assertThat(kubernetes.getProperties()).containsOnly(
            Map.entry("service-dns", "quiz-hazelcast.quiz.svc.cluster.local"), Map.entry("service-port", "5701"));
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    }

    @Test
    void withoutAServiceDnsNameTheApiModeReadsTheNamedServicesEndpoints(@TempDir Path dir) {
        ClusterOptions options = options(dir, "QUIZ_CLUSTER_DISCOVERY", "kubernetes",
            "QUIZ_CLUSTER_KUBERNETES_NAMESPACE", "quiz", "QUIZ_CLUSTER_KUBERNETES_SERVICE_NAME", "quiz-hazelcast");
        KubernetesConfig kubernetes = HazelcastSetup.config(options, null).getNetworkConfig().getJoin().getKubernetesConfig();

        assertThat(kubernetes.isEnabled()).isTrue();
        assertThat(kubernetes.getProperties()).containsOnly(
            Map.entry("namespace", "quiz"), Map.entry("service-name", "quiz-hazelcast"));
    }

    @Test
    void theTwoKubernetesModesCannotBeSetTogether(@TempDir Path dir) {
        assertThatThrownBy(() -> options(dir, "QUIZ_CLUSTER_DISCOVERY", "kubernetes",
            "QUIZ_CLUSTER_KUBERNETES_SERVICE_DNS", "quiz-hazelcast", "QUIZ_CLUSTER_KUBERNETES_SERVICE_NAME", "quiz-hazelcast"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("kubernetesServiceDns");
    }

    @Test
    void membersFindEachOtherByResolvingTheServiceName(@TempDir Path dir) {
        // Every pod listens on the same port; on one machine the second member moves to the next port
        // (auto-increment) and finds the first at the port the name is tried on.
        int port = LoopbackPorts.free();
        ClusterOptions options = options(dir, "QUIZ_CLUSTER_NAME", "quiz-dns-" + UUID.randomUUID(),
            "QUIZ_CLUSTER_DISCOVERY", "kubernetes", "QUIZ_CLUSTER_KUBERNETES_SERVICE_DNS", "localhost",
            "QUIZ_CLUSTER_INTERFACE", "127.0.0.1", "QUIZ_CLUSTER_PORT", Integer.toString(port));
        for (String node : List.of("dns-1", "dns-2")) {
            Config config = HazelcastSetup.config(options, node);
            members.add(Hazelcast.newHazelcastInstance(config));
        }
        Eventually.await("both members in one cluster", Duration.ofSeconds(30),
            () -> members.stream().allMatch(m -> m.getCluster().getMembers().size() == 2));
    }

    /** A node's cluster options from its environment: a node id, a data dir and a secret, clustering on, and these variables. */
    static ClusterOptions options(Path dir, String... variablesAndValues) {
        Map<String, String> env = new HashMap<>(Map.of("QUIZ_NODE_ID", "node-a", "QUIZ_STORAGE_DATA_DIR", dir.toString(),
            "QUIZ_AUTH_JWT_SECRET", SECRET, "QUIZ_CLUSTER_ENABLED", "true"));
        for (int i = 0; i < variablesAndValues.length; i += 2) {
            env.put(variablesAndValues[i], variablesAndValues[i + 1]);
        }
        return NodeOptions.from(ConfigLoader.load(env)).cluster();
    }
}
