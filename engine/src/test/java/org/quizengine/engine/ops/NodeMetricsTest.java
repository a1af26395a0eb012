package org.quizengine.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.metrics.NodeMetrics;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.Scrape;

/**
 * A live node's {@code /metrics} after a played match: every metric of the game is there, tagged
 * with the node, and the match moved the counters and histograms it should have.
 */
class NodeMetricsTest {
    private static PlayedNode played;
    private static Scrape metrics;
    private static Map<String, Double> samples;

    @BeforeAll
    static void playAMatch() {
        played = PlayedNode.start();
        metrics = played.metrics();
        samples = metrics.samples();
    }

    @AfterAll
    static void stop() {
        if (played != null) {
            played.close();
        }
    }

    @Test
    void everyMetricOfTheGameIsExportedWithItsNode() {
        List<String> exported = List.of(
            NodeMetrics.CONNECTED_PLAYERS, NodeMetrics.LIVE_MATCHES, NodeMetrics.PROCESS_CPU_SECONDS + "_total",
            NodeMetrics.CLUSTER_MEMBERS, NodeMetrics.MATCHMAKER_RUNNING, NodeMetrics.RESULTS_PENDING,
            NodeMetrics.RESULTS_OLDEST_PENDING_SECONDS, NodeMetrics.STORE_UP, NodeMetrics.POSTGRES_POOL_CONNECTIONS,
            NodeMetrics.NODE_DRAINING,
            NodeMetrics.MATCHMAKING_QUEUED, NodeMetrics.ANSWERS + "_total", NodeMetrics.ANSWER_ACK + "_seconds_bucket",
            NodeMetrics.QUESTION_LATENESS + "_seconds_bucket", NodeMetrics.MATCHMAKING_WAIT + "_seconds_bucket",
            NodeMetrics.FRAMES_REJECTED + "_total", NodeMetrics.HTTP_RESPONSES + "_total", NodeMetrics.REST_ERRORS + "_total",
            NodeMetrics.MATCHES_TAKEN_OVER + "_total", NodeMetrics.MATCHES_HANDED_OVER + "_total",
            NodeMetrics.MATCHES_FINISHED + "_total", NodeMetrics.RESULT_STORE_LAG + "_seconds_bucket",
            NodeMetrics.UNHANDLED_ERRORS + "_total",
            "jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads", "process_cpu_usage");
        String node = "node=\"" + played.node.node.nodeId() + "\"";
        for (String name : exported) {
            assertThat(samples.keySet()).as(name).anyMatch(key -> key.startsWith(name + "{") && key.contains(node));
        }
    }

    @Test
    void histogramsHaveTheFixedBucketsAnOperatorAggregates() {
        for (String le : List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "+Inf")) {
            assertThat(samples.keySet()).as("answer ack bucket le=%s", le)
                .anyMatch(key -> key.startsWith("quiz_answer_ack_seconds_bucket{") && key.contains("le=\"" + le + "\""));
        }
        assertThat(samples.keySet().stream().filter(key -> key.startsWith("quiz_answer_ack_seconds_bucket{")))
            .as("no percentile series computed in the JVM, only the fixed buckets").hasSize(9);
        assertThat(samples.keySet()).noneMatch(key -> key.contains("quantile="));
    }

    @Test
    void thePlayedMatchMovedTheGameCounters() {
        // Two players answered each of the 3 questions, and one answer more was refused as a duplicate.
        assertThat(value("quiz_answers_total", "outcome=\"accepted\"")).isEqualTo(6);
        assertThat(value("quiz_answers_total", "outcome=\"refused\"")).isEqualTo(1);
        assertThat(value("quiz_answer_ack_seconds_count")).isEqualTo(7);
        assertThat(value("quiz_answer_ack_seconds_bucket", "le=\"+Inf\"")).isEqualTo(7);
        assertThat(value("quiz_question_lateness_seconds_count")).as("one per question opened").isEqualTo(3);
        // The first question opened with the match, the others on answers: none was seconds late.
        assertThat(value("quiz_question_lateness_seconds_sum")).isLessThan(3.0);
        assertThat(value("quiz_matchmaking_wait_seconds_count")).as("both players waited in the queue").isEqualTo(2);
        assertThat(value("quiz_matches_finished_total")).isEqualTo(1);
        assertThat(value("quiz_frames_rejected_total", "code=\"ALREADY_ANSWERED\"")).isEqualTo(1);
        assertThat(value("quiz_rest_errors_total", "code=\"NOT_FOUND\"")).isGreaterThanOrEqualTo(1);
        assertThat(value("quiz_http_responses_total", "status=\"4xx\"")).isGreaterThanOrEqualTo(1);
        assertThat(value("quiz_http_responses_total", "status=\"2xx\"")).as("sign-ups, earlier scrapes").isGreaterThanOrEqualTo(2);
        assertThat(value("quiz_result_store_lag_seconds_count", "store=\"postgres\"")).isEqualTo(1);
        assertThat(value("quiz_result_store_lag_seconds_count", "store=\"redis\"")).isEqualTo(1);
    }

    @Test
    void figuresReadAtTheScrapeDescribeTheNodeAsItIs() {
        assertThat(value("quiz_store_up", "store=\"postgres\"")).isEqualTo(1);
        assertThat(value("quiz_store_up", "store=\"redis\"")).isEqualTo(1);
        assertThat(value("quiz_matchmaker_running")).as("a lone node runs the matchmaker").isEqualTo(1);
        assertThat(value("quiz_matchmaking_queued")).as("both queued players were matched").isZero();
        assertThat(value("quiz_node_draining")).isZero();
        assertThat(value("quiz_postgres_pool_connections")).as("the stored result used the pool").isBetween(1.0, 8.0);
        assertThat(value("quiz_connected_players")).isEqualTo(2);
        assertThat(value("quiz_results_pending")).as("the outbox was read (its count is reused a few seconds)").isNotNaN();
        assertThat(value("quiz_matches_taken_over_total")).as("a lone node takes nothing over").isZero();
    }

    @Test
    void anExceptionNoHandlerCaughtIsCounted() {
        assertThat(value("quiz_unhandled_errors_total")).as("the played match threw nothing uncaught").isZero();
        double before = played.metrics().value("quiz_unhandled_errors_total");
        // A bug's stand-in: an event-loop task that throws, with no handler of its own.
        played.node.vertx.runOnContext(v -> {
            throw new IllegalStateException("a deliberate uncaught exception of NodeMetricsTest");
        });
        Eventually.await("the uncaught exception counted", Duration.ofSeconds(10),
            () -> played.metrics().value("quiz_unhandled_errors_total") >= before + 1);
    }

    @Test
    void unknownCodesAndEveryErrorCodeHaveTheirOwnSeries() {
        Set<String> codes = Set.of("OTHER", "RATE_LIMITED", "QUESTION_CLOSED", "INTERNAL_ERROR");
        for (String code : codes) {
            assertThat(samples.keySet()).anyMatch(key -> key.startsWith("quiz_frames_rejected_total{")
                && key.contains("code=\"" + code + "\""));
        }
    }

    private static double value(String name, String... labels) {
        return metrics.value(name, labels);
    }
}
