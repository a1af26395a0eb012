package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.engine.config.ConfigException;

/**
 * The Hazelcast I/O threads a node configures (docs/cluster.md, section 3): more than Hazelcast's
 * three each way, the I/O balancer off, and {@code QUIZ_CLUSTER_IO_THREADS} to change the count.
 */
class HazelcastSetupTest {

    @Test
    void aNodeGivesHazelcastEightIoThreadsEachWayAndNoIoBalancer(@TempDir Path dir) {
        Config config = HazelcastSetup.config(KubernetesDiscoveryTest.options(dir), "node-a");

        assertThat(config.getProperty("hazelcast.io.input.thread.count")).isEqualTo("8");
        assertThat(config.getProperty("hazelcast.io.output.thread.count")).isEqualTo("8");
        assertThat(config.getProperty("hazelcast.io.balancer.interval.seconds")).isEqualTo("-1");
    }

    @Test
    void theIoThreadCountComesFromItsVariableWithinItsRange(@TempDir Path dir) {
        Config config = HazelcastSetup.config(KubernetesDiscoveryTest.options(dir, "QUIZ_CLUSTER_IO_THREADS", "12"), "node-a");
        assertThat(config.getProperty("hazelcast.io.output.thread.count")).isEqualTo("12");

        assertThatThrownBy(() -> KubernetesDiscoveryTest.options(dir, "QUIZ_CLUSTER_IO_THREADS", "0"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("QUIZ_CLUSTER_IO_THREADS");
    }
}
