package org.quizengine.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The floor probe on a real two-node cluster: every answer is replicated by the entry processor on the
 * other member's copy before it is acknowledged, the figures are printed, and the nodes are gone after.
 */
class ClusterFloorTest {
    @Test
    void twoClusteredNodesAnswerAtTheRateAskedAndStopAfterward() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        ClusterFloor.Result result = ClusterFloor.run(new ClusterFloor.Options(2, 100, 1, 3, "256m"),
            new PrintStream(printed, true, StandardCharsets.UTF_8));

        // 100 answers a second for about 3 s; a request that failed (a write refused, no consumer) counts here.
        assertThat(result.failed()).isZero();
        assertThat(result.completed()).isBetween(200L, 400L);
        assertThat(result.cpuSeconds()).isPositive();
        assertThat(printed.toString(StandardCharsets.UTF_8))
            .contains("nodes 2 (clustered)", "CPU per op:", "node 0: CPU", "node 1: CPU");
        assertThat(result.nodePids()).hasSize(2)
            .allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("node process %d", pid).isEmpty());
    }
}
