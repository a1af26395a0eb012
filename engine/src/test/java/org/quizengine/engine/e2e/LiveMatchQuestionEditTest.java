package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * "A question in a live match is never changed under it", end to end: two players play a quick
 * match over real WebSockets while a moderator rewrites every one of its questions (text and
 * correct option) over REST. The live match still asks and judges the originals; the next match in
 * the same category, started after the edits, asks and judges the new versions; the stored history
 * of the first match keeps what was asked. A category a moderator deactivates is then refused.
 */
class LiveMatchQuestionEditTest {
    private static final int QUESTIONS = 3;
    private static TestNode node;
    private static WebClient http;
    private static TestPlayer ada;
    private static TestPlayer bob;
    private static String moderatorToken;
    private static String category;

    @BeforeAll
    static void start() {
        Map<String, String> env = TestNode.fastMatches();
        // Questions close as soon as both players answered; a long deadline only keeps slow machines honest.
        env.put("QUIZ_MATCH_QUESTION_MILLIS", "15000");
        node = TestNode.start(env);
        http = WebClient.create(node.vertx);
        String run = Long.toString(System.nanoTime() % 100_000);
        ada = node.register("ada" + run).connect();
        bob = node.register("bob" + run).connect();
        moderatorToken = moderator("mod" + run);
        category = "live-" + run;
    }

    @AfterAll
    static void stop() {
        for (TestPlayer player : new TestPlayer[] {ada, bob}) {
            if (player != null) {
                player.close();
            }
        }
        if (http != null) {
            http.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aLiveMatchKeepsItsQuestionsWhileNewMatchesGetTheEditedOnes() throws InterruptedException {
        assertThat(rest(HttpMethod.POST, "/api/v1/categories", new JsonObject().put("id", category)
            .put("name", "Live edits")).statusCode()).isEqualTo(201);
        Map<String, JsonObject> originals = new HashMap<>();
        for (int i = 0; i < QUESTIONS; i++) {
            JsonObject created = rest(HttpMethod.POST, "/api/v1/questions", new JsonObject().put("category", category)
                .put("difficulty", "easy").put("text", "Original question " + i)
                .put("options", new JsonArray(List.of("red", "green", "blue", "black"))).put("correctOption", i))
                .bodyAsJsonObject();
            originals.put(created.getString("text"), created);
        }

        // The match starts, then a moderator rewrites all of its questions while it is live.
        String first = startMatch();
        JsonObject live = ada.next("question", f -> f.getString("matchId").equals(first) && f.getInteger("index") == 0);
        Map<String, JsonObject> edited = new HashMap<>();
        for (JsonObject original : originals.values()) {
            HttpResponse<Buffer> response = rest(HttpMethod.PATCH, "/api/v1/questions/" + original.getLong("id"),
                new JsonObject().put("version", original.getInteger("version"))
                    .put("text", "Edited " + original.getString("text"))
                    .put("correctOption", (original.getInteger("correctOption") + 1) % 4));
            assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
            edited.put(response.bodyAsJsonObject().getString("text"), response.bodyAsJsonObject());
        }

        List<String> askedFirst = playAnsweringAsJudgedBy(first, originals, live);
        assertThat(askedFirst).as("the live match asked its original questions").hasSize(QUESTIONS)
            .allSatisfy(text -> assertThat(originals).containsKey(text));

        // A match started after the edits asks and judges the new versions.
        String second = startMatch();
        List<String> askedSecond = playAnsweringAsJudgedBy(second, edited, null);
        assertThat(askedSecond).hasSize(QUESTIONS).allSatisfy(text -> assertThat(edited).containsKey(text));

        // What the first match asked is what its history keeps.
        JsonArray stored = waitForMatchDetail(first).getJsonArray("questions");
        for (Object o : stored) {
            JsonObject question = (JsonObject) o;
            JsonObject original = originals.get(question.getString("text"));
            assertThat(original).as("stored %s", question.getString("text")).isNotNull();
            assertThat(question.getInteger("correctOption")).isEqualTo(original.getInteger("correctOption"));
        }

        // A deactivated category is no longer offered for quick matches.
        assertThat(rest(HttpMethod.PATCH, "/api/v1/categories/" + category, new JsonObject().put("active", false))
            .statusCode()).isEqualTo(200);
        ada.send(new JsonObject().put("type", "quick_match").put("category", category).put("size", 2));
        assertThat(ada.nextError("UNKNOWN_CATEGORY").getString("ref")).isEqualTo("quick_match");
    }

    /** Both players queue for the test's category; returns the match id once both were told it starts. */
    private static String startMatch() {
        for (TestPlayer player : List.of(ada, bob)) {
            player.send(new JsonObject().put("type", "quick_match").put("category", category).put("size", 2));
        }
        JsonObject starting = ada.next("match_starting"); // frames already taken are skipped: this is the new match
        String matchId = starting.getString("matchId");
        bob.next("match_starting", f -> f.getString("matchId").equals(matchId));
        return matchId;
    }

    /**
     * Plays every question of the match: each player answers the option that {@code expected} (by
     * the text shown) says is right, and the reveal must agree and judge both answers correct.
     * Returns the texts asked, in order. {@code firstSeen}: question 0 if the caller already took it from ada.
     */
    private static List<String> playAnsweringAsJudgedBy(String matchId, Map<String, JsonObject> expected,
                                                        JsonObject firstSeen) {
        List<String> asked = new ArrayList<>();
        for (int index = 0; index < QUESTIONS; index++) {
            int i = index;
            JsonObject question = i == 0 && firstSeen != null ? firstSeen : ada.next("question",
                f -> f.getString("matchId").equals(matchId) && f.getInteger("index") == i);
            bob.next("question", f -> f.getString("matchId").equals(matchId) && f.getInteger("index") == i);
            String text = question.getString("text");
            asked.add(text);
            JsonObject version = expected.get(text);
            assertThat(version).as("question %d shows '%s'", i, text).isNotNull();
            int right = version.getInteger("correctOption");
            for (TestPlayer player : List.of(ada, bob)) {
                player.send(new JsonObject().put("type", "answer").put("index", i).put("option", right));
            }
            JsonObject reveal = ada.next("reveal", f -> f.getString("matchId").equals(matchId)
                && f.getInteger("index") == i);
            assertThat(reveal.getInteger("correctOption")).as("judged by '%s'", text).isEqualTo(right);
            assertThat(reveal.getJsonArray("results")).hasSize(2)
                .allSatisfy(r -> assertThat(((JsonObject) r).getBoolean("correct")).isTrue());
        }
        ada.next("match_finished", f -> f.getString("matchId").equals(matchId));
        bob.next("match_finished", f -> f.getString("matchId").equals(matchId));
        return asked;
    }

    private static JsonObject waitForMatchDetail(String matchId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        HttpResponse<Buffer> detail;
        do {
            detail = ada.get("/api/v1/matches/" + matchId);
            if (detail.statusCode() == 200) {
                return detail.bodyAsJsonObject();
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("The match was never stored: " + detail.statusCode() + " " + detail.bodyAsString());
    }

    /** Registers an account, makes it a moderator in the database, and signs in again for a token with the role. */
    private static String moderator(String username) {
        TestPlayer account = node.register(username);
        TestPlayer.await(node.node.stores().pool().preparedQuery("UPDATE users SET role = 'moderator' WHERE id = $1")
            .execute(Tuple.of(account.userId)));
        return TestPlayer.login(node.vertx, node.port(), username, "correct horse " + username).token;
    }

    private static HttpResponse<Buffer> rest(HttpMethod method, String path, JsonObject body) {
        return TestPlayer.await(http.request(method, node.port(), "localhost", path)
            .putHeader("Authorization", "Bearer " + moderatorToken)
            .sendJsonObject(body));
    }
}
