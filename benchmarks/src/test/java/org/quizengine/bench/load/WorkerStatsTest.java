package org.quizengine.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkerStatsTest {

    @Test
    void aFramesLengthIsCountedInUtf8Bytes() {
        for (String text : new String[] {"", "{\"type\":\"pong\"}", "café", "€ 5", "a😀b"}) {
            assertThat(WorkerStats.utf8Length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void framesReceivedAreInTheFinalReportByType() {
        WorkerStats stats = new WorkerStats();
        stats.frameReceived("question", "{\"type\":\"question\"}");
        stats.frameReceived("question", "{\"type\":\"question\",\"x\":1}");
        stats.frameReceived("reveal", "{\"type\":\"reveal\"}");

        JsonObject frames = stats.finish().getJsonObject("framesReceived");

        assertThat(frames.getJsonObject("question").getLong("frames")).isEqualTo(2);
        assertThat(frames.getJsonObject("question").getLong("bytes")).isEqualTo(19 + 25);
        assertThat(frames.getJsonObject("reveal").getLong("bytes")).isEqualTo(17);
    }
}
