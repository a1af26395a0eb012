package org.quizengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quizengine.bench.servers.ServerSampler;

/**
 * The CPU figures of a window and of each second, from made-up seconds: the nodes' own metric beside
 * all-in (nodes, PostgreSQL and Redis from /proc), as a share of a core and per answer, and a clear
 * word instead of zeros when the processes could not be read.
 */
class ProcessCpuSummaryTest {

    @Test
    void allInCountsTheNodesPostgresAndRedisBesideTheNodesOwnMetric() {
        // 10 s of 100 answers/s; the metric says 0.2 core, /proc 0.25 node + 0.1 PostgreSQL + 0.05 Redis.
        Window window = new Window(seconds(10, 100, 0.2, new ServerSampler.ProcessesCpu(0.25, 0.1, 0.05)));

        JsonObject summary = Run.summarize(window, Optional.empty());

        assertThat(summary.getDouble("serverCpuPct")).isEqualTo(20.0);
        assertThat(summary.getDouble("allInCpuPct")).isEqualTo(40.0);
        assertThat(summary.getDouble("postgresCpuPct")).isEqualTo(10.0);
        assertThat(summary.getDouble("redisCpuPct")).isEqualTo(5.0);
        assertThat(summary.getDouble("serverCpuMicrosPerAnswer")).isEqualTo(2000.0);
        assertThat(summary.getDouble("allInCpuMicrosPerAnswer")).isEqualTo(4000.0);
        assertThat(summary.getDouble("postgresCpuMicrosPerAnswer")).isEqualTo(1000.0);
        assertThat(summary.getDouble("redisCpuMicrosPerAnswer")).isEqualTo(500.0);
        assertThat(summary.containsKey("allInCpuUnavailable")).isFalse();
    }

    @Test
    void processesThatCannotBeReadAreSaidSoNotCountedAsNothing() {
        Window window = new Window(seconds(10, 100, 0.2, null));

        JsonObject summary = Run.summarize(window, Optional.of("the servers run elsewhere (--url)"));

        assertThat(summary.getDouble("serverCpuMicrosPerAnswer")).isEqualTo(2000.0);
        for (String figure : List.of("allInCpuPct", "postgresCpuPct", "redisCpuPct",
                "allInCpuMicrosPerAnswer", "postgresCpuMicrosPerAnswer", "redisCpuMicrosPerAnswer")) {
            assertThat(summary.containsKey(figure)).as(figure + " is in the summary").isTrue();
            assertThat(summary.getValue(figure)).as(figure).isNull();
        }
        assertThat(summary.getString("allInCpuUnavailable")).isEqualTo("the servers run elsewhere (--url)");
    }

    @Test
    void withoutStoresAllInIsTheServerAloneAndTheStoresHaveNoFigure() {
        // The echo server: no PostgreSQL, no Redis.
        Window window = new Window(seconds(4, 50, 0.3, new ServerSampler.ProcessesCpu(0.35, null, null)));

        JsonObject summary = Run.summarize(window, Optional.empty());

        assertThat(summary.getDouble("allInCpuPct")).isEqualTo(35.0);
        assertThat(summary.getDouble("allInCpuMicrosPerAnswer")).isEqualTo(7000.0);
        assertThat(summary.getValue("postgresCpuPct")).isNull();
        assertThat(summary.getValue("redisCpuMicrosPerAnswer")).isNull();
    }

    @Test
    void noAnswersMeansNoFigurePerAnswer() {
        Window window = new Window(seconds(3, 0, 0.2, new ServerSampler.ProcessesCpu(0.25, 0.1, 0.05)));

        JsonObject summary = Run.summarize(window, Optional.empty());

        assertThat(summary.getDouble("allInCpuPct")).isEqualTo(40.0);
        assertThat(summary.getValue("allInCpuMicrosPerAnswer")).isNull();
        assertThat(summary.getValue("serverCpuMicrosPerAnswer")).isNull();
    }

    @Test
    void eachSecondOfTheTimelineShowsAllInBesideTheServersCpu() {
        Second read = seconds(1, 100, 0.2, new ServerSampler.ProcessesCpu(0.25, 0.1, 0.05)).get(0);
        Second unread = seconds(1, 100, 0.2, null).get(0);

        assertThat(read.toJson().getDouble("serverCpuPct")).isEqualTo(20.0);
        assertThat(read.toJson().getDouble("allInCpuPct")).isEqualTo(40.0);
        assertThat(read.toJson().getDouble("postgresCpuPct")).isEqualTo(10.0);
        assertThat(read.toJson().getDouble("redisCpuPct")).isEqualTo(5.0);
        assertThat(unread.toJson().getValue("allInCpuPct")).isNull();
        assertThat(unread.toJson().getDouble("serverCpuPct")).isEqualTo(20.0);
    }

    private static List<Second> seconds(int count, int answers, double serverCpuSeconds, ServerSampler.ProcessesCpu processCpu) {
        List<Second> seconds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Second second = new Second(i + 1);
            second.answersAcked = answers;
            second.serverCpuSeconds = serverCpuSeconds;
            second.processCpu = processCpu;
            seconds.add(second);
        }
        return seconds;
    }
}
