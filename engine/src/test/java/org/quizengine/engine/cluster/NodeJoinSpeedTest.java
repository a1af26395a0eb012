package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.match.LiveMatchRecord;
import org.quizengine.engine.support.ProcessCluster;
import org.quizengine.engine.support.TestPlayer;
import org.quizengine.shared.bus.Addresses;

/**
 * A node started into a running cluster of two ({@link ProcessCluster}, a spare place in the member
 * list) takes new matches soon after its process starts: it joins Hazelcast, starts, reports its
 * load, and the least-loaded placement sends it the next match. The test prints where the time went,
 * from the new node's log: process start, cluster member, stores ready, serving, first match.
 */
class NodeJoinSpeedTest {
    /**
     * The target is 10 s from process start (docs/cluster.md has the measured figures, taken by this
     * test); on a loaded 2-core CI machine a JVM start alone can take most of that, so this bound only
     * catches a node that never takes matches. Once ready, it must take the next matches at once.
     */
    private static final Duration FIRST_MATCH_BOUND = Duration.ofSeconds(45);
    private static final Duration FIRST_MATCH_AFTER_READY_BOUND = Duration.ofSeconds(10);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    // Matches outlast the test, so each running node keeps the load it was given.
    @RegisterExtension
    static final ProcessCluster cluster = ProcessCluster.forTestClass("join", 2, 1, Map.of("QUIZ_MATCH_QUESTION_MILLIS", "60000"));

    @Test
    void aNodeStartedIntoARunningClusterTakesAMatchWithinSecondsOfItsProcessStart() {
        NodeProcess first = cluster.node("join-1");
        // One live match on each running node, so the new one (none) is the least loaded.
        for (int m = 0; m < 6 && !cluster.alive().stream().allMatch(n -> matchesOn(cluster.idOf(n)) >= 1); m++) {
            startMatch(first);
        }
        assertThat(cluster.alive()).allMatch(n -> matchesOn(cluster.idOf(n)) >= 1);

        NodeProcess third = cluster.startNode();
        String thirdId = cluster.idOf(third);
        long readyAt = System.currentTimeMillis();
        long firstMatchAt = 0;
        for (int m = 0; m < 20 && firstMatchAt == 0; m++) {
            String matchId = startMatch(first);
            if (cluster.ownerOf(matchId).equals(thirdId)) {
                firstMatchAt = System.currentTimeMillis();
            }
        }
        Instant processStart = ProcessHandle.of(third.pid()).flatMap(process -> process.info().startInstant()).orElseThrow();
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("process start -> cluster member (starts its parts)", sinceStart(third, processStart, "starting its parts"));
        figures.put("process start -> stores ready", sinceStart(third, processStart, "Stores ready in"));
        figures.put("process start -> serving (HTTP up)", sinceStart(third, processStart, " serving on http"));
        figures.put("process start -> seen ready by the test", readyAt - processStart.toEpochMilli());
        figures.put("process start -> first match placed on it", firstMatchAt == 0 ? -1 : firstMatchAt - processStart.toEpochMilli());
        figures.forEach((what, millis) -> System.out.printf("node join: %-50s %6d ms%n", what, millis));

        assertThat(firstMatchAt).as("a match placed on the new node").isPositive();
        assertThat(Duration.ofMillis(firstMatchAt - readyAt)).isLessThanOrEqualTo(FIRST_MATCH_AFTER_READY_BOUND);
        assertThat(Duration.ofMillis(firstMatchAt - processStart.toEpochMilli())).isLessThanOrEqualTo(FIRST_MATCH_BOUND);
    }

    /** Two new players queue through {@code node}; returns their match's id. */
    private static String startMatch(NodeProcess node) {
        List<TestPlayer> pair = List.of(cluster.playerOn(node, "ja"), cluster.playerOn(node, "jb"));
        pair.forEach(p -> p.send(new JsonObject().put("type", "quick_match").put("size", 2)));
        String matchId = pair.get(0).next("match_starting").getString("matchId");
        assertThat(pair.get(1).next("match_starting").getString("matchId")).isEqualTo(matchId);
        return matchId;
    }

    private static long matchesOn(String nodeId) {
        return cluster.hazelcast().<String, LiveMatchRecord>getMap(Addresses.LIVE_MATCHES_MAP).values().stream()
            .filter(record -> nodeId.equals(record.owner())).count();
    }

    /** Milliseconds from the process start to the first log line of the node containing {@code text}, -1 if none. */
    private static long sinceStart(NodeProcess node, Instant processStart, String text) {
        return logTime(node, text).map(at -> at.toEpochMilli() - processStart.toEpochMilli()).orElse(-1L);
    }

    private static Optional<Instant> logTime(NodeProcess node, String text) {
        try (var lines = Files.lines(node.log())) {
            return lines.filter(line -> line.contains(text) && line.length() > 23).findFirst()
                .map(line -> LocalDateTime.parse(line.substring(0, 23), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
