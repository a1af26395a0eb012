package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.engine.support.Eventually.await;
import static org.quizengine.engine.support.Eventually.millisBetween;
import static org.quizengine.engine.support.Eventually.sleep;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quizengine.engine.local.NodeProcess;
import org.quizengine.engine.support.ProcessCluster;
import org.quizengine.engine.support.TestPlayer;
import org.quizengine.shared.bus.Addresses;

/**
 * Three nodes in their own JVMs and one PostgreSQL and Redis in a fourth ({@link ProcessCluster});
 * the nodes reach PostgreSQL through a proxy this test can cut. A node is killed with SIGKILL, as
 * the kernel would: no drain, no shutdown hook.
 *
 * <ol>
 *   <li>The node running a live match dies mid-question: the match carries on elsewhere from its
 *       replicated state, an answer acknowledged before the crash is in the reveal, and the result
 *       is stored exactly once.</li>
 *   <li>The node holding a finished match's unwritten result (PostgreSQL unreachable) dies: once
 *       PostgreSQL is back, a surviving node stores it, exactly once.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashFailoverTest {
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(10);
    /** Every node retries a pending result at least every 5 s, whoever finished it. */
    private static final Duration STORED_AFTER_POSTGRES_RETURNS = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProcessCluster cluster = ProcessCluster.forTestClass("crash", 3, 0, Map.of());

    @Test
    @Order(1)
    void killingTheNodeThatRunsAMatchMidQuestionLosesNeitherTheMatchNorAnAcknowledgedAnswer() {
        TestPlayer ada = cluster.playerOn(cluster.node("crash-1"), "ka");
        TestPlayer bob = cluster.playerOn(cluster.node("crash-2"), "kb");
        UUID adaId = ada.userId;
        UUID bobId = bob.userId;
        for (TestPlayer p : List.of(ada, bob)) {
            p.send(new JsonObject().put("type", "quick_match").put("size", 2));
        }
        String matchId = ada.next("match_starting").getString("matchId");
        assertThat(bob.next("match_starting").getString("matchId")).isEqualTo(matchId);
        ada.next("question", f -> f.getInteger("index") == 0);
        bob.next("question", f -> f.getInteger("index") == 0);

        // Each player on one of the two nodes that do not run the match, so both sockets outlive it.
        String ownerId = cluster.ownerOf(matchId);
        NodeProcess owner = cluster.node(ownerId);
        NodeProcess adaNode = cluster.nodeServing(ada);
        NodeProcess bobNode = cluster.nodeServing(bob);
        if (adaNode == owner) {
            ada = reconnect(ada, cluster.alive().stream().filter(n -> n != owner && n != bobNode).findFirst().orElseThrow(), matchId);
        } else if (bobNode == owner) {
            bob = reconnect(bob, cluster.alive().stream().filter(n -> n != owner && n != adaNode).findFirst().orElseThrow(), matchId);
        }
        assertThat(Set.of(cluster.nodeServing(ada), cluster.nodeServing(bob))).doesNotContain(owner).hasSize(2);

        ada.send(answer(0, 2));
        ada.next("answer_accepted", f -> f.getInteger("index") == 0);
        int adaMark = ada.frameCount();
        int bobMark = bob.frameCount();

        long killedAt = System.nanoTime();
        owner.kill9();

        // bob has not answered question 0: he keeps trying until the match, wherever it now runs,
        // judges the answer (taken if the question is still open, refused as closed if its deadline passed).
        Set<String> judgedRefusals = Set.of("QUESTION_CLOSED", "WRONG_QUESTION");
        Predicate<JsonObject> judged = f -> ("answer_accepted".equals(f.getString("type")) && f.getInteger("index") == 0)
            || ("error".equals(f.getString("type")) && judgedRefusals.contains(f.getString("code")));
        Optional<JsonObject> bobsAnswer = Optional.empty();
        while (bobsAnswer.isEmpty() && System.nanoTime() - killedAt < FAILOVER_BOUND.toNanos()) {
            bob.send(answer(0, 1));
            bobsAnswer = bob.firstSince(bobMark, judged, Duration.ofMillis(250));
        }
        assertThat(bobsAnswer).as("the match answered again within %s of the kill", FAILOVER_BOUND).isPresent();

        // The next thing each player hears from the match (errors from the gap are not from the match).
        Predicate<JsonObject> fromTheMatch = f -> !"error".equals(f.getString("type"));
        JsonObject adaFirst = ada.firstSince(adaMark, fromTheMatch, remaining(killedAt)).orElseThrow(
            () -> new AssertionError("ada heard nothing from the match within " + FAILOVER_BOUND + " of the kill"));
        JsonObject bobFirst = bob.firstSince(bobMark, fromTheMatch, remaining(killedAt)).orElseThrow(
            () -> new AssertionError("bob heard nothing from the match within " + FAILOVER_BOUND + " of the kill"));
        String newOwner = cluster.ownerOf(matchId);
        System.out.printf("[crash-failover] owner %s killed mid-question 0; match now on %s. Kill -> next event: "
                + "ada %d ms (%s), bob %d ms (%s); bob's answer to question 0 judged after %d ms (%s)%n",
            ownerId, newOwner, millisBetween(killedAt, ada.arrivedAt(adaFirst)), describe(adaFirst),
            millisBetween(killedAt, bob.arrivedAt(bobFirst)), describe(bobFirst),
            millisBetween(killedAt, bob.arrivedAt(bobsAnswer.get())), describe(bobsAnswer.get()));
        assertThat(newOwner).as("the match runs on a surviving node").isNotEqualTo(ownerId).isIn(cluster.nodes().keySet());
        // Copies of bob's answer held through the gap are all resent; once one is taken, a later copy
        // can be refused as closed before the (replicated) acknowledgement of the first arrives, so
        // bob answered if any copy was accepted by the time the reveal reaches him.
        Predicate<JsonObject> accepted0 = f -> "answer_accepted".equals(f.getString("type")) && f.getInteger("index") == 0;
        assertThat(bob.firstSince(bobMark, f -> "reveal".equals(f.getString("type")) && f.getInteger("index") == 0,
            remaining(killedAt))).as("bob sees question 0 revealed").isPresent();
        boolean bobAnswered = bob.firstSince(bobMark, accepted0, Duration.ZERO).isPresent();

        // The answer acknowledged before the crash is in the reveal, for both players.
        for (TestPlayer p : List.of(ada, bob)) {
            JsonObject reveal0 = p.next("reveal", f -> f.getInteger("index") == 0);
            assertThat(optionOf(reveal0, adaId)).as("ada's acknowledged answer, as %s sees it", p.username).isEqualTo(2);
            assertThat(optionOf(reveal0, bobId)).isEqualTo(bobAnswered ? 1 : null);
        }
        for (int i = 1; i < 3; i++) {
            int index = i;
            for (TestPlayer p : List.of(ada, bob)) {
                p.next("question", f -> f.getInteger("index") == index);
                p.send(answer(index, 0));
                p.next("answer_accepted", f -> f.getInteger("index") == index);
            }
        }
        JsonObject adaFinished = ada.next("match_finished");
        JsonObject bobFinished = bob.next("match_finished");
        assertThat(adaFinished.getString("matchId")).isEqualTo(matchId);
        assertThat(bobFinished.getJsonArray("ranking")).isEqualTo(adaFinished.getJsonArray("ranking"));

        cluster.awaitStoredOnceAndSettled(matchId, List.of(ada, bob), Duration.ofSeconds(20));
        JsonObject detail = ada.getJson("/api/v1/matches/" + matchId);
        JsonObject stored0 = detail.getJsonArray("questions").getJsonObject(0);
        assertThat(stored0.getJsonArray("answers").stream().map(JsonObject.class::cast)
            .filter(a -> a.getString("userId").equals(adaId.toString())).map(a -> a.getInteger("option")).toList())
            .as("ada's acknowledged answer, as stored").containsExactly(2);
    }

    @Test
    @Order(2)
    void aResultWaitingForPostgresOutlivesTheNodeThatHeldIt() {
        List<NodeProcess> alive = cluster.alive();
        assertThat(alive).hasSizeGreaterThanOrEqualTo(2);
        // Registering needs PostgreSQL; playing does not.
        TestPlayer cy = cluster.playerOn(alive.get(0), "oc");
        TestPlayer di = cluster.playerOn(alive.get(1), "od");
        cluster.postgres().stop();

        cy.send(new JsonObject().put("type", "create_lobby").put("maxPlayers", 2).put("questionCount", 1)
            .put("secondsPerQuestion", 5));
        String code = cy.next("lobby").getString("code");
        di.send(new JsonObject().put("type", "join_lobby").put("code", code));
        di.next("lobby");
        cy.next("lobby", f -> f.getJsonArray("players").size() == 2);
        cy.send(new JsonObject().put("type", "start_lobby"));
        String matchId = cy.next("match_starting").getString("matchId");
        assertThat(di.next("match_starting").getString("matchId")).isEqualTo(matchId);
        String ownerId = cluster.ownerOf(matchId);
        NodeProcess owner = cluster.node(ownerId);
        for (TestPlayer p : List.of(cy, di)) {
            p.next("question", f -> f.getInteger("index") == 0);
            p.send(answer(0, 1));
        }
        assertThat(cy.next("match_finished").getString("matchId")).isEqualTo(matchId);
        di.next("match_finished");

        // The match is over on its node (its live record is dropped once the result is in the outbox):
        // from here only the outbox holds the result, in the cluster's map, not in PostgreSQL. Its
        // node keeps trying to write it for a moment before it dies.
        await("the finished match leaves " + Addresses.LIVE_MATCHES_MAP, Duration.ofSeconds(5),
            () -> !cluster.hazelcast().getMap(Addresses.LIVE_MATCHES_MAP).containsKey(matchId));
        sleep(Duration.ofSeconds(1));
        assertThat(cluster.hazelcast().getMap(Addresses.PENDING_RESULTS_MAP).containsKey(matchId)).as("the result waits in the outbox").isTrue();
        assertThat(cluster.count("SELECT count(*) FROM matches WHERE id = ?::uuid", matchId)).isZero();

        long killedAt = System.nanoTime();
        owner.kill9();
        await("the cluster sees " + ownerId + " gone", FAILOVER_BOUND,
            () -> cluster.hazelcast().getCluster().getMembers().size() == alive.size() - 1);
        long goneAt = System.nanoTime();
        // PostgreSQL stays away a little longer, so the survivors' first attempts fail too.
        sleep(Duration.ofSeconds(2));
        assertThat(cluster.count("SELECT count(*) FROM matches WHERE id = ?::uuid", matchId)).isZero();
        cluster.postgres().start();
        long backAt = System.nanoTime();

        NodeProcess survivor = alive.stream().filter(n -> n != owner).findFirst().orElseThrow();
        TestPlayer cyAtSurvivor = cluster.track(cy.onPort(survivor.port()));
        TestPlayer diAtSurvivor = cluster.track(di.onPort(survivor.port()));
        await("the result is in PostgreSQL", STORED_AFTER_POSTGRES_RETURNS,
            () -> cluster.count("SELECT count(*) FROM matches WHERE id = ?::uuid", matchId) > 0);
        System.out.printf("[crash-failover] %s killed holding an unwritten result: cluster saw it gone after %d ms; "
                + "PostgreSQL back %d ms after the kill; result stored %d ms after PostgreSQL came back%n",
            ownerId, millisBetween(killedAt, goneAt), millisBetween(killedAt, backAt), millisBetween(backAt, System.nanoTime()));
        cluster.awaitStoredOnceAndSettled(matchId, List.of(cyAtSurvivor, diAtSurvivor), Duration.ofSeconds(10));
    }

    /** The player drops its socket and reconnects through {@code node}, back in the match. */
    private static TestPlayer reconnect(TestPlayer player, NodeProcess node, String matchId) {
        TestPlayer moved = cluster.reconnect(player, node);
        moved.next("match_state", f -> matchId.equals(f.getString("matchId")));
        return moved;
    }

    private static JsonObject answer(int index, int option) {
        return new JsonObject().put("type", "answer").put("index", index).put("option", option);
    }

    private static Integer optionOf(JsonObject reveal, UUID userId) {
        return reveal.getJsonArray("results").stream().map(JsonObject.class::cast)
            .filter(r -> r.getString("userId").equals(userId.toString())).findFirst().orElseThrow().getInteger("option");
    }

    private static String describe(JsonObject frame) {
        String type = frame.getString("type");
        if (frame.containsKey("index")) {
            return type + " " + frame.getInteger("index");
        }
        return frame.containsKey("code") ? type + " " + frame.getString("code") : type;
    }

    private static Duration remaining(long sinceNanos) {
        return Duration.ofNanos(Math.max(1, FAILOVER_BOUND.toNanos() - (System.nanoTime() - sinceNanos)));
    }
}
