package org.quizengine.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerStatsTest {

    @Test
    void framesReceivedAreInTheFinalReportByType() {
        WorkerStats stats = new WorkerStats();
        stats.frameReceived("question", 19);
        stats.frameReceived("question", 25);
        stats.frameReceived("reveal", 17);

        JsonObject frames = stats.finish().getJsonObject("framesReceived");

        assertThat(frames.getJsonObject("question").getLong("frames")).isEqualTo(2);
        assertThat(frames.getJsonObject("question").getLong("bytes")).isEqualTo(19 + 25);
        assertThat(frames.getJsonObject("reveal").getLong("bytes")).isEqualTo(17);
    }

    @Test
    void eachFaultKeepsItsSlowestRecoveriesWithTheirTraces() {
        WorkerStats stats = new WorkerStats();
        for (long ms = 3_001; ms <= 3_015; ms++) {
            stats.slowRecovery("kill", ms, "p" + ms, List.of("+0 ms touched", "+" + ms + " ms got reveal"));
        }
        stats.slowRecovery("kill", -1, "never", List.of("+0 ms touched"));
        stats.slowRecovery("freeze", 5_000, "f", null);

        JsonObject slow = stats.finish().getJsonObject("slowRecoveries");

        assertThat(slow.getJsonArray("kill").stream().map(o -> ((JsonObject) o).getLong("millis")).toList())
            .hasSize(WorkerStats.SLOW_KEPT).contains(-1L, 3_015L, 3_007L).doesNotContain(3_001L, 3_006L);
        assertThat(slow.getJsonArray("freeze").getJsonObject(0).getJsonArray("trace").isEmpty()).isTrue();
    }
}
