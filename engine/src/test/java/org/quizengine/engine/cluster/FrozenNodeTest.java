package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.engine.support.Eventually.await;
import static org.quizengine.engine.support.Eventually.millisBetween;
import static org.quizengine.engine.support.Eventually.sleep;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.support.ProcessCluster;
import org.quizengine.engine.support.TestPlayer;

/**
 * A node frozen (SIGSTOP) for longer than failure detection and then resumed (SIGCONT), as a long
 * GC pause or a stopped VM would: three nodes in their own JVMs with {@code cluster.minMembers} 2.
 * The frozen node is the leader (it runs the matchmaker) and owns a live match; every player's
 * socket is on the two other nodes. While it is frozen the others take its match over; once it
 * wakes, it must not run anything stale: every player sees one timeline, every result is stored
 * once, and after the heal the cluster has one matchmaker again.
 */
class FrozenNodeTest {
    /** Longer than the failure detector's 5 s, with time for the takeover. */
    private static final Duration FROZEN = Duration.ofSeconds(11);
    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    static final ProcessCluster cluster = ProcessCluster.forTestClass("frozen", 3, 0, Map.of(
            "QUIZ_CLUSTER_MIN_MEMBERS", "2",
            // The node's default. With 3 s, a survivor starved of CPU for 3 s on a loaded 2-core machine
            // was taken for dead by the other survivor too, and both lost their quorum (seen in CI).
            "QUIZ_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "5",
            "QUIZ_MATCH_QUESTION_COUNT", "4",
            "QUIZ_MATCH_QUESTION_MILLIS", "6000"));

    @Test
    void aFrozenLeaderThatWakesUpRunsNothingStaleStoresEachResultOnceAndLeavesOneMatchmaker() {
        // The nodes start together (alone, one is not ready), so the leader is whichever runs the matchmaker.
        await("one node runs the matchmaker", BOUND, () -> nodesRunningTheMatchmaker().size() == 1);
        String leaderId = nodesRunningTheMatchmaker().get(0);
        NodeProcess leader = cluster.node(leaderId);
        List<NodeProcess> others = cluster.nodes().values().stream().filter(n -> n != leader).toList();
        NodeProcess second = others.get(0);
        NodeProcess third = others.get(1);

        // Two-player matches, one player on each of the two other nodes, until the leader runs one.
        Map<String, List<TestPlayer>> matches = new HashMap<>();
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < 6 && !owners.containsValue(leaderId); i++) {
            TestPlayer a = cluster.playerOn(second, "fa");
            TestPlayer b = cluster.playerOn(third, "fb");
            for (TestPlayer p : List.of(a, b)) {
                p.send(new JsonObject().put("type", "quick_match").put("size", 2));
            }
            String matchId = a.next("match_starting").getString("matchId");
            assertThat(b.next("match_starting").getString("matchId")).isEqualTo(matchId);
            matches.put(matchId, List.of(a, b));
            owners.put(matchId, cluster.ownerOf(matchId));
        }
        assertThat(owners).as("a match placed on the leader").containsValue(leaderId);
        String frozenMatch = owners.entrySet().stream().filter(e -> e.getValue().equals(leaderId))
            .map(Map.Entry::getKey).findFirst().orElseThrow();
        for (List<TestPlayer> players : matches.values()) {
            players.forEach(p -> p.next("question", f -> f.getInteger("index") == 0));
        }
        List<TestPlayer> frozenMatchPlayers = matches.get(frozenMatch);
        int mark = frozenMatchPlayers.get(0).frameCount();

        long frozenAt = System.nanoTime();
        leader.freeze();
        // The match is taken over: its players hear from it again (its first question's deadline
        // passes meanwhile, so the adopter reveals it) while its old owner is still frozen.
        JsonObject afterTakeover = frozenMatchPlayers.get(0)
            .firstSince(mark, f -> frozenMatch.equals(f.getString("matchId")), FROZEN).orElse(null);
        sleep(Duration.ofNanos(Math.max(0, FROZEN.toNanos() - (System.nanoTime() - frozenAt))));
        long thawedAt = System.nanoTime();
        leader.thaw();
        assertThat(afterTakeover).as("the frozen node's match heard from again while it was frozen").isNotNull();

        for (Map.Entry<String, List<TestPlayer>> match : matches.entrySet()) {
            for (TestPlayer p : match.getValue()) {
                assertThat(p.firstSince(0, f -> "match_finished".equals(f.getString("type"))
                    && match.getKey().equals(f.getString("matchId")), BOUND)).as("%s's match finished", p.username).isPresent();
            }
        }
                await(leaderId + " ready again", BOUND, leader::ready);
        long readyAt = System.nanoTime();
        for (Map.Entry<String, List<TestPlayer>> match : matches.entrySet()) {
            cluster.awaitStoredOnceAndSettled(match.getKey(), match.getValue(), Duration.ofSeconds(30));
        }
        oneMatchmakerServesEveryNode(List.of(leader, second, third));
        // The woken node's copy of its match tried to write on, and that write failed (a backup that no
        // longer counts it as a member never acknowledges it; alone, split-brain protection refuses it).
        String stopped = lineOf(leader, "Match " + frozenMatch + ": stopping here, ");
        assertThat(stopped).as("the woken node's copy of match %s stopped at a failed write", frozenMatch).isNotNull();
        System.out.printf("[frozen-node] %s frozen %d ms owning match %s (then on %s); freeze -> its players heard "
                + "from it again: %d ms (%s); its own copy: %s; thaw -> %s ready again: %d ms; %d matches checked%n",
            leaderId, FROZEN.toMillis(), frozenMatch, adopterOf(frozenMatch),
            millisBetween(frozenAt, frozenMatchPlayers.get(0).arrivedAt(afterTakeover)), afterTakeover.getString("type"),
            stopped.substring(stopped.indexOf("stopping here, ") + "stopping here, ".length()),
            leaderId, millisBetween(thawedAt, readyAt), matches.size());

        // Nothing stale reached anyone: each player's frames of their match form one timeline.
        sleep(Duration.ofSeconds(2));
        for (Map.Entry<String, List<TestPlayer>> match : matches.entrySet()) {
            match.getValue().forEach(p -> assertOneTimeline(p, match.getKey()));
            assertThat(nodesThatFinished(match.getKey())).as("nodes that finished match %s", match.getKey()).hasSize(1);
        }
        assertThat(nodesThatFinished(frozenMatch)).as("who finished the frozen node's match").doesNotContain(leaderId);
        assertThat(nodesRunningTheMatchmaker()).as("nodes whose log last says they run the matchmaker").hasSize(1);
    }

    /**
     * Three players, one through each node, ask for a three-player match, three times over: with one
     * matchmaker they always land in one match; with two, their requests split between them.
     */
    private static void oneMatchmakerServesEveryNode(List<NodeProcess> nodes) {
        for (int round = 0; round < 3; round++) {
            List<TestPlayer> players = new ArrayList<>();
            for (NodeProcess node : nodes) {
                players.add(cluster.playerOn(node, "mm"));
            }
            players.forEach(p -> p.send(new JsonObject().put("type", "quick_match").put("size", 3)));
            Set<String> matchIds = new HashSet<>();
            players.forEach(p -> matchIds.add(p.next("match_starting").getString("matchId")));
            assertThat(matchIds).as("round %d: one match for players on three nodes", round).hasSize(1);
            players.forEach(p -> p.send(new JsonObject().put("type", "leave_match")));
        }
    }

    /**
     * The player's frames of one match, in arrival order: questions in increasing order, each
     * question and each reveal once, never a reveal of a question before the last one seen (a stale
     * owner's), and one end.
     */
    private static void assertOneTimeline(TestPlayer player, String matchId) {
        List<JsonObject> frames = framesOf(player, matchId);
        List<String> seen = frames.stream().map(FrozenNodeTest::describe).toList();
        int lastQuestion = -1;
        Set<Integer> reveals = new HashSet<>();
        int finished = 0;
        for (JsonObject frame : frames) {
            String type = frame.getString("type");
            if ("question".equals(type)) {
                int index = frame.getInteger("index");
                assertThat(index).as("%s: a question after question %d: %s", player.username, lastQuestion, seen)
                    .isGreaterThan(lastQuestion);
                lastQuestion = index;
            } else if ("reveal".equals(type)) {
                int index = frame.getInteger("index");
                assertThat(reveals.add(index)).as("%s: reveal %d once: %s", player.username, index, seen).isTrue();
                // Stale would be a reveal of a question before the last one seen. A reveal past it means
                // frames that never reached this player during the takeover: a known gap (docs/cluster.md
                // 5.3), printed, not what this test is about.
                assertThat(index).as("%s: no reveal of a question before the open one: %s", player.username, seen)
                    .isGreaterThanOrEqualTo(lastQuestion);
                if (index > lastQuestion) {
                    System.out.printf("[frozen-node] %s missed frames during the takeover: %s%n", player.username, seen);
                }
            } else {
                finished++;
            }
        }
        assertThat(finished).as("%s: match_finished once: %s", player.username, seen).isEqualTo(1);
    }

    /** The player's question, reveal and match_finished frames of one match, in arrival order. */
    private static List<JsonObject> framesOf(TestPlayer player, String matchId) {
        List<JsonObject> frames = new ArrayList<>();
        for (String type : List.of("question", "reveal", "match_finished")) {
            player.all(type).stream().filter(f -> matchId.equals(f.getString("matchId"))).forEach(frames::add);
        }
        frames.sort(Comparator.comparingLong(player::arrivedAt));
        return frames;
    }

    private static String describe(JsonObject frame) {
        String type = frame.getString("type");
        return frame.containsKey("deadline") ? type + " " + frame.getInteger("index") + " (deadline " + frame.getLong("deadline") + ")"
            : frame.containsKey("index") ? type + " " + frame.getInteger("index") : type;
    }

    /** The node whose log says it took the match over. */
    private static String adopterOf(String matchId) {
        return cluster.nodes().entrySet().stream().filter(e -> log(e.getValue()).contains("Match " + matchId + " taken over by"))
            .map(Map.Entry::getKey).findFirst().orElse("no node");
    }

    /** The nodes whose log says they finished the match (ran its last question). */
    private static List<String> nodesThatFinished(String matchId) {
        List<String> nodes = new ArrayList<>();
        cluster.nodes().forEach((id, node) -> {
            if (log(node).contains("Match " + matchId + " finished after")) {
                nodes.add(id);
            }
        });
        return nodes;
    }

    /** The nodes whose latest matchmaker line says they run it. */
    private static List<String> nodesRunningTheMatchmaker() {
        List<String> nodes = new ArrayList<>();
        cluster.nodes().forEach((id, node) -> {
            String log = log(node);
            if (log.lastIndexOf("runs the matchmaker") > log.lastIndexOf("stopped the matchmaker")) {
                nodes.add(id);
            }
        });
        return nodes;
    }

    /** The first line of the node's log containing {@code text}, or null. */
    private static String lineOf(NodeProcess node, String text) {
        return log(node).lines().filter(line -> line.contains(text)).findFirst().orElse(null);
    }

    private static String log(NodeProcess node) {
        try {
            return Files.readString(node.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
