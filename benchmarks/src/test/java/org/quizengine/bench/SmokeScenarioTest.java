package org.quizengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code smoke} scenario, as CI runs it: a real node (and its stores) in their own JVMs, real
 * simulated players in a worker JVM playing quick matches and a lobby, dropping and reconnecting;
 * then the report must be complete and the audit must find every finished match stored once, with
 * its answers, and the leaderboards agreeing with PostgreSQL.
 */
class SmokeScenarioTest {

    @Test
    void smokeRunReportsWhatPlayersFeltAndLosesNothing(@TempDir Path out) throws Exception {
        JsonObject report = Bench.run(BenchOptions.parse(new String[] {"smoke", "--out", out.toString()}));

        JsonObject summary = report.getJsonObject("summary");
        assertThat(summary.getLong("answers")).as("answers acknowledged").isPositive();
        assertThat(summary.getDouble("answersPerSec")).isPositive();
        assertThat(summary.getInteger("playersMax")).isEqualTo(20);
        assertThat(summary.getDouble("serverCpuMicrosPerAnswer")).as("server CPU per answer, from /metrics").isPositive();
        assertThat(summary.getDouble("allInCpuMicrosPerAnswer")).as("nodes, PostgreSQL and Redis per answer, from /proc")
            .isGreaterThan(summary.getDouble("postgresCpuMicrosPerAnswer"));
        assertThat(summary.getDouble("postgresCpuMicrosPerAnswer")).as("PostgreSQL per answer, from /proc").isPositive();
        assertThat(summary.getDouble("redisCpuMicrosPerAnswer")).as("Redis per answer, from /proc").isNotNull();
        assertThat(summary.containsKey("allInCpuUnavailable")).isFalse();
        assertThat(summary.getDouble("generatorCpuPct")).as("the generator's own CPU").isPositive();
        assertThat(summary.getDouble("heapPerPlayerKb")).as("heap per connected player").isNotNull();
        assertThat(summary.getInteger("drops")).as("players dropped mid-match").isPositive();
        assertThat(summary.getInteger("reconnects")).as("and came back").isPositive();

        JsonObject ack = report.getJsonObject("latency").getJsonObject("ackMs");
        JsonObject lateness = report.getJsonObject("latency").getJsonObject("latenessMs");
        for (JsonObject percentiles : new JsonObject[] {ack, lateness}) {
            assertThat(percentiles.getLong("count")).isPositive();
            assertThat(percentiles.getDouble("p50")).isNotNull();
            assertThat(percentiles.getDouble("p99")).isGreaterThanOrEqualTo(percentiles.getDouble("p50"));
            assertThat(percentiles.getDouble("max")).isGreaterThanOrEqualTo(percentiles.getDouble("p99"));
        }

        JsonArray timeline = report.getJsonArray("timeline");
        assertThat(timeline.size()).as("one row per second").isGreaterThan(20);
        assertThat(timeline.stream().map(JsonObject.class::cast))
            .anyMatch(row -> row.getInteger("players") == 20 && row.getInteger("liveMatches") != null
                && row.getInteger("liveMatches") > 0 && row.getDouble("serverHeapMb") != null
                && row.getDouble("allInCpuPct") != null);

        assertThat(report.getInteger("matchesFinished")).as("matches played to the end").isGreaterThanOrEqualTo(4);
        JsonObject frames = report.getJsonObject("framesReceived");
        assertThat(frames.getJsonObject("byType").getJsonObject("reveal").getLong("bytesPerFrame"))
            .as("a reveal weighs more than an acknowledgement")
            .isGreaterThan(frames.getJsonObject("byType").getJsonObject("answer_accepted").getLong("bytesPerFrame"));
        assertThat(frames.getLong("bytesPerPlayerPerQuestion")).as("bytes a player receives per question").isPositive();
        JsonObject audit = report.getJsonObject("audit");
        assertThat(audit.getInteger("matchesFinished")).isEqualTo(report.getInteger("matchesFinished"));
        assertThat(audit.getInteger("matchesStored")).isEqualTo(report.getInteger("matchesFinished"));
        assertThat(audit.getInteger("lost")).isZero();
        assertThat(audit.getInteger("duplicated")).isZero();
        assertThat(audit.getInteger("answersMissing")).isZero();
        assertThat(audit.getInteger("leaderboardMismatches")).isZero();
        assertThat(audit.getInteger("statsMismatches")).isZero();
        assertThat(Bench.clean(report)).isTrue();

        assertThat(out.resolve("report.json")).exists();
        assertThat(new JsonObject(Files.readString(out.resolve("report.json"))).getString("scenario")).isEqualTo("smoke");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");
    }
}
