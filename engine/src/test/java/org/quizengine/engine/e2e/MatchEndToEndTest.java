package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * Three players play a quick match and a lobby match against a real node (embedded PostgreSQL and
 * Redis) over real WebSockets, one of them dropping and resuming mid-match; then what REST, the
 * stored answers and the leaderboards say is checked against what the clients were shown.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MatchEndToEndTest {
    private static TestNode node;
    private static TestPlayer ada;
    private static TestPlayer bob;
    private static TestPlayer cy;
    /** Total points each player was shown across both matches, from the reveals. */
    private static final Map<UUID, Integer> shownTotals = new HashMap<>();
    private static final AtomicReference<String> quickMatchId = new AtomicReference<>();

    @BeforeAll
    static void startNode() {
        node = TestNode.start(TestNode.fastMatches());
        String run = Long.toString(System.nanoTime() % 100_000);
        ada = node.register("ada" + run).connect();
        bob = node.register("bob" + run).connect();
        cy = node.register("cy" + run).connect();
        for (TestPlayer player : List.of(ada, bob, cy)) {
            player.next("no_match");
        }
    }

    @AfterAll
    static void stopNode() {
        for (TestPlayer player : new TestPlayer[] {ada, bob, cy}) {
            if (player != null) {
                player.close();
            }
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void quickMatchIsPlayedToTheEndWithOnePlayerDroppingAndResuming() {
        for (TestPlayer player : List.of(ada, bob, cy)) {
            player.send(new JsonObject().put("type", "quick_match").put("size", 3));
            assertThat(player.next("queued").getInteger("size")).isEqualTo(3);
        }
        JsonObject starting = ada.next("match_starting");
        String matchId = starting.getString("matchId");
        quickMatchId.set(matchId);
        assertThat(starting.getString("kind")).isEqualTo("quick");
        assertThat(starting.getJsonArray("players")).hasSize(3);
        assertThat(starting.getInteger("questionCount")).isEqualTo(3);
        bob.next("match_starting");
        cy.next("match_starting");

        // Question 0: everyone answers, so it closes before its deadline.
        JsonObject q0 = ada.next("question", f -> f.getInteger("index") == 0);
        assertThat(q0.containsKey("correctOption")).as("the question never carries its answer").isFalse();
        assertThat(q0.getJsonArray("options")).hasSize(4);
        assertThat(q0.getLong("deadline") - q0.getLong("openedAt")).isEqualTo(3000);
        answerAll(0, Map.of(ada, 0, bob, 1, cy, 2));
        JsonObject reveal0 = ada.next("reveal", f -> f.getInteger("index") == 0);
        assertThat(reveal0.getLong("closedAt")).isBetween(q0.getLong("openedAt"), q0.getLong("deadline"));
        assertThat(reveal0.getLong("nextQuestionAt")).isEqualTo(reveal0.getLong("closedAt") + 300);
        assertThat(System.currentTimeMillis()).as("revealed before its deadline: it closed early")
            .isLessThan(q0.getLong("deadline"));
        bob.next("reveal", f -> f.getInteger("index") == 0);
        cy.next("reveal", f -> f.getInteger("index") == 0);
        int cyScoreAfterQ0 = scoreOf(reveal0, cy.userId);

        // Question 1: cy drops before answering; the other two answering closes it early.
        cy.next("question", f -> f.getInteger("index") == 1);
        cy.disconnect();
        JsonObject away = ada.next("player_status", f -> f.getString("status").equals("disconnected"));
        assertThat(away.getString("userId")).isEqualTo(cy.userId.toString());
        ada.next("question", f -> f.getInteger("index") == 1);
        bob.next("question", f -> f.getInteger("index") == 1);
        answerAll(1, Map.of(ada, 3, bob, 3));
        JsonObject reveal1 = ada.next("reveal", f -> f.getInteger("index") == 1);
        JsonObject cyResult1 = resultOf(reveal1, cy.userId);
        assertThat(cyResult1.getValue("option")).as("cy did not answer").isNull();
        assertThat(cyResult1.getInteger("points")).isZero();
        bob.next("reveal", f -> f.getInteger("index") == 1);

        // cy comes back within the grace window and finds the match where it is.
        cy.connect();
        JsonObject state = cy.next("match_state");
        assertThat(state.getString("matchId")).isEqualTo(matchId);
        assertThat(scoreOf(state.getJsonArray("standings"), cy.userId)).isEqualTo(cyScoreAfterQ0);
        ada.next("player_status", f -> f.getString("status").equals("connected"));
        JsonObject q2 = state.getJsonObject("question");
        if (q2 == null || q2.getInteger("index") != 2) {
            q2 = cy.next("question", f -> f.getInteger("index") == 2);
        } else {
            assertThat(state.getLong("remainingMs")).isBetween(1L, 3000L);
            assertThat(state.getLong("remainingMs")).isLessThanOrEqualTo(q2.getLong("deadline") - q2.getLong("openedAt"));
        }
        ada.next("question", f -> f.getInteger("index") == 2);
        bob.next("question", f -> f.getInteger("index") == 2);
        answerAll(2, Map.of(ada, 1, bob, 2, cy, 1));

        JsonObject finished = ada.next("match_finished");
        assertThat(finished.getString("matchId")).isEqualTo(matchId);
        bob.next("match_finished");
        cy.next("match_finished");
        List<JsonObject> reveals = ada.all("reveal").stream().filter(r -> r.getString("matchId").equals(matchId)).toList();
        assertThat(reveals).hasSize(3);
        assertFinalScoresAddUp(finished, reveals);
        rememberTotals(finished);
        for (TestPlayer player : List.of(ada, bob, cy)) {
            assertThat(player.all("answer_count")).as("%s: a quick match has no host screen", player.username)
                .noneMatch(count -> count.getString("matchId").equals(matchId));
        }
    }

    @Test
    @Order(2)
    void lobbyMatchIsFormedByCodeStartedByTheHostAndPlayed() {
        ada.send(new JsonObject().put("type", "create_lobby").put("questionCount", 2).put("secondsPerQuestion", 5)
            .put("maxPlayers", 3));
        JsonObject lobby = ada.next("lobby");
        String code = lobby.getString("code");
        assertThat(code).matches("[A-Z2-9]{6}");
        assertThat(lobby.getString("hostId")).isEqualTo(ada.userId.toString());

        bob.send(new JsonObject().put("type", "join_lobby").put("code", code.toLowerCase()));
        assertThat(bob.next("lobby").getJsonArray("players")).hasSize(2);
        cy.send(new JsonObject().put("type", "join_lobby").put("code", code));
        assertThat(cy.next("lobby").getJsonArray("players")).hasSize(3);
        assertThat(ada.next("lobby", f -> f.getJsonArray("players").size() == 3)).isNotNull();

        bob.send(new JsonObject().put("type", "start_lobby"));
        assertThat(bob.nextError("NOT_LOBBY_HOST").getString("ref")).isEqualTo("start_lobby");

        ada.send(new JsonObject().put("type", "start_lobby"));
        JsonObject starting = ada.next("match_starting", f -> !f.getString("matchId").equals(quickMatchId.get()));
        String matchId = starting.getString("matchId");
        assertThat(starting.getString("kind")).isEqualTo("lobby");
        assertThat(starting.getInteger("questionCount")).isEqualTo(2);
        assertThat(starting.getLong("questionMillis")).isEqualTo(5000);
        bob.next("match_starting", f -> f.getString("matchId").equals(matchId));
        cy.next("match_starting", f -> f.getString("matchId").equals(matchId));

        // Question 0, one answer at a time: the host (ada) is told how many have answered after each.
        for (TestPlayer player : List.of(ada, bob, cy)) {
            player.next("question", f -> f.getString("matchId").equals(matchId) && f.getInteger("index") == 0);
        }
        assertHostCount(matchId, 0, 0);
        answerAll(0, Map.of(bob, 1));
        assertHostCount(matchId, 0, 1);
        answerAll(0, Map.of(cy, 2));
        assertHostCount(matchId, 0, 2);
        answerAll(0, Map.of(ada, 0));
        assertHostCount(matchId, 0, 3);
        ada.next("reveal", f -> f.getString("matchId").equals(matchId) && f.getInteger("index") == 0);

        // Question 1, everyone at once: the counts still arrive in order, one per answer.
        for (TestPlayer player : List.of(ada, bob, cy)) {
            player.next("question", f -> f.getString("matchId").equals(matchId) && f.getInteger("index") == 1);
        }
        answerAll(1, Map.of(ada, 1, bob, 2, cy, 3));
        for (int answered = 0; answered <= 3; answered++) {
            assertHostCount(matchId, 1, answered);
        }
        JsonObject finished = ada.next("match_finished", f -> f.getString("matchId").equals(matchId));
        List<JsonObject> reveals = ada.all("reveal").stream().filter(r -> r.getString("matchId").equals(matchId)).toList();
        assertThat(reveals).hasSize(2);
        assertFinalScoresAddUp(finished, reveals);
        rememberTotals(finished);
        assertThat(ada.all("answer_count")).as("the host's counts, no more")
            .filteredOn(count -> count.getString("matchId").equals(matchId)).hasSize(8);
        for (TestPlayer player : List.of(bob, cy)) {
            assertThat(player.all("answer_count")).as("%s is no host", player.username)
                .noneMatch(count -> count.getString("matchId").equals(matchId));
        }
    }

    /** The host's next count for question {@code index}: {@code answered} of the match's three players, and nothing more. */
    private static void assertHostCount(String matchId, int index, int answered) {
        JsonObject count = ada.next("answer_count", f -> f.getString("matchId").equals(matchId) && f.getInteger("index") == index);
        assertThat(count.getInteger("answered")).as("answered question %d", index).isEqualTo(answered);
        assertThat(count.getInteger("of")).isEqualTo(3);
        assertThat(count.fieldNames()).as("no who, no which option").containsExactlyInAnyOrder("type", "matchId", "index",
            "answered", "of");
    }

    @Test
    @Order(3)
    void historyStoredAnswersAndLeaderboardsAgreeWithWhatPlayersSaw() throws InterruptedException {
        JsonObject history = waitForHistory(ada, 2);
        JsonArray items = history.getJsonArray("items");
        assertThat(items).hasSize(2);
        assertThat(items.getJsonObject(0).getString("kind")).as("newest first").isEqualTo("lobby");
        assertThat(items.getJsonObject(1).getString("matchId")).isEqualTo(quickMatchId.get());

        // The quick match's stored detail matches every reveal ada was shown.
        JsonObject detail = ada.getJson("/api/v1/matches/" + quickMatchId.get());
        JsonArray questions = detail.getJsonArray("questions");
        assertThat(questions).hasSize(3);
        List<JsonObject> reveals = ada.all("reveal").stream()
            .filter(r -> r.getString("matchId").equals(quickMatchId.get())).toList();
        for (int i = 0; i < 3; i++) {
            JsonObject stored = questions.getJsonObject(i);
            JsonObject reveal = reveals.get(i);
            assertThat(stored.getInteger("correctOption")).isEqualTo(reveal.getInteger("correctOption"));
            for (Object o : reveal.getJsonArray("results")) {
                JsonObject shown = (JsonObject) o;
                JsonObject answer = storedAnswer(stored, shown.getString("userId"));
                if (shown.getValue("option") == null) {
                    assertThat(answer).as("no stored answer for a player who did not answer").isNull();
                } else {
                    assertThat(answer).isNotNull();
                    assertThat(answer.getInteger("option")).isEqualTo(shown.getInteger("option"));
                    assertThat(answer.getInteger("points")).isEqualTo(shown.getInteger("points"));
                    assertThat(answer.getBoolean("correct")).isEqualTo(shown.getBoolean("correct"));
                }
            }
        }

        // Lifetime stats and every leaderboard carry the same totals the players were shown.
        for (TestPlayer player : List.of(ada, bob, cy)) {
            JsonObject stats = player.getJson("/api/v1/me/stats");
            assertThat(stats.getInteger("matchesPlayed")).isEqualTo(2);
            assertThat(stats.getLong("totalScore")).isEqualTo(shownTotals.get(player.userId).longValue());
        }
        for (String period : List.of("all", "week", "day")) {
            JsonArray entries = ada.getJson("/api/v1/leaderboards/" + period + "?limit=50").getJsonArray("entries");
            for (TestPlayer player : List.of(ada, bob, cy)) {
                JsonObject entry = entries.stream().map(JsonObject.class::cast)
                    .filter(e -> e.getString("userId").equals(player.userId.toString())).findFirst().orElseThrow();
                assertThat(entry.getLong("score")).as("%s board, %s", period, player.username)
                    .isEqualTo(shownTotals.get(player.userId).longValue());
            }
        }
    }

    private static void answerAll(int index, Map<TestPlayer, Integer> options) {
        options.forEach((player, option) -> player.send(new JsonObject().put("type", "answer").put("index", index)
            .put("option", option)));
        options.forEach((player, option) -> {
            JsonObject accepted = player.next("answer_accepted", f -> f.getInteger("index") == index);
            assertThat(accepted.getInteger("option")).isEqualTo(option);
            assertThat(accepted.containsKey("correct")).as("correctness is told only in the reveal").isFalse();
        });
    }

    private static JsonObject resultOf(JsonObject reveal, UUID userId) {
        return reveal.getJsonArray("results").stream().map(JsonObject.class::cast)
            .filter(r -> r.getString("userId").equals(userId.toString())).findFirst().orElseThrow();
    }

    private static int scoreOf(JsonObject reveal, UUID userId) {
        return scoreOf(reveal.getJsonArray("standings"), userId);
    }

    private static int scoreOf(JsonArray standings, UUID userId) {
        return standings.stream().map(JsonObject.class::cast)
            .filter(s -> s.getString("userId").equals(userId.toString())).findFirst().orElseThrow().getInteger("score");
    }

    /** Each player's final score is the sum of the points each reveal showed them; ranks follow scores. */
    private static void assertFinalScoresAddUp(JsonObject finished, List<JsonObject> reveals) {
        JsonArray ranking = finished.getJsonArray("ranking");
        assertThat(ranking).hasSize(3);
        int previous = Integer.MAX_VALUE;
        for (Object o : ranking) {
            JsonObject line = (JsonObject) o;
            UUID userId = UUID.fromString(line.getString("userId"));
            int sum = reveals.stream().mapToInt(r -> resultOf(r, userId).getInteger("points")).sum();
            assertThat(line.getInteger("score")).isEqualTo(sum);
            assertThat(line.getInteger("score")).isLessThanOrEqualTo(previous);
            previous = line.getInteger("score");
        }
    }

    private static void rememberTotals(JsonObject finished) {
        for (Object o : finished.getJsonArray("ranking")) {
            JsonObject line = (JsonObject) o;
            shownTotals.merge(UUID.fromString(line.getString("userId")), line.getInteger("score"), Integer::sum);
        }
    }

    private static JsonObject storedAnswer(JsonObject question, String userId) {
        return question.getJsonArray("answers").stream().map(JsonObject.class::cast)
            .filter(a -> a.getString("userId").equals(userId)).findFirst().orElse(null);
    }

    private static JsonObject waitForHistory(TestPlayer player, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonObject history;
        do {
            history = player.getJson("/api/v1/me/matches?limit=10");
            if (history.getJsonArray("items").size() >= expected) {
                return history;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        return history;
    }
}
