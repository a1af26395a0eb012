package org.quizengine.engine.support;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.quizengine.engine.cluster.HazelcastSetup;
import org.quizengine.engine.config.ClusterOptions;
import org.quizengine.shared.LoopbackPorts;

/** Real Hazelcast members in this JVM, configured as a node's are (member i is {@code node-i}), in a cluster of their own. */
public final class HazelcastMembers {
    private HazelcastMembers() {
    }

    /** Starts {@code size} members and returns once they see each other; the caller terminates them. */
    public static List<HazelcastInstance> start(String clusterPrefix, int size) {
        String cluster = clusterPrefix + "-" + UUID.randomUUID();
        List<Integer> ports = IntStream.range(0, size).mapToObj(i -> LoopbackPorts.free()).toList();
        List<String> addresses = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        List<HazelcastInstance> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ClusterOptions options = new ClusterOptions(true, cluster, ClusterOptions.Discovery.MEMBERS, addresses,
                "127.0.0.1", ports.get(i), 1, 5, null, null, 1, null, 8);
            members.add(Hazelcast.newHazelcastInstance(HazelcastSetup.config(options, "node-" + i)));
        }
        Eventually.await("a cluster of " + size, Duration.ofSeconds(30), () -> members.get(0).getCluster().getMembers().size() == size);
        return members;
    }
}
