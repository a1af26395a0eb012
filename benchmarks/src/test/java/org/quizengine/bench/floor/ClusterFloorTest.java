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

        ClusterFloor.Result result = ClusterFloor.run(new ClusterFloor.Options(2, 100, 2, 3, "256m"),
            new PrintStream(printed, true, StandardCharsets.UTF_8));

        // A request that failed (a write refused, no consumer) counts here.
        assertThat(result.failed()).isZero();
        // 100 answers a second; a reply held back in the warm-up may land in the window, so not exactly.
        assertThat(result.completed() / result.windowSeconds()).isBetween(60.0, 140.0);
        // Each answer was written before its reply, and each member holds the other's records as backups.
        assertThat(result.replicated()).isGreaterThanOrEqualTo(result.completed() / 2);
        assertThat(result.backupEntriesByNode()).hasSize(2).allSatisfy(entries -> assertThat(entries).isPositive());
        assertThat(result.cpuSeconds()).isPositive();
        assertThat(printed.toString(StandardCharsets.UTF_8))
            .contains("nodes 2 (clustered)", "CPU per op:", "node 0: CPU", "node 1: CPU");
        assertThat(result.nodePids()).hasSize(2)
            .allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("node process %d", pid).isEmpty());
    }
}
