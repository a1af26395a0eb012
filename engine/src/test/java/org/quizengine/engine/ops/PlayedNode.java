package org.quizengine.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.Scrape;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * A real node (embedded PostgreSQL and Redis) on which two players have played a quick match to
 * its end, with one refused answer and one refused REST request on the way, so that every meter of
 * the game has been recorded at least once; and its {@code /metrics}, read as Prometheus would.
 */
final class PlayedNode implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);

    final TestNode node;
    private final TestPlayer ada;
    private final TestPlayer bob;

    private PlayedNode(TestNode node, TestPlayer ada, TestPlayer bob) {
        this.node = node;
        this.ada = ada;
        this.bob = bob;
    }

    /** Starts a node and plays one quick match of two players on it (about 10 s on a quiet machine). */
    static PlayedNode start() {
        Map<String, String> env = new HashMap<>(TestNode.fastMatches());
        // No countdown and no reveal pause: questions also open on a start or an answer, not only on a timer.
        env.put("QUIZ_MATCH_COUNTDOWN_MILLIS", "0");
        env.put("QUIZ_MATCH_REVEAL_MILLIS", "0");
        TestNode node = TestNode.start(env);
        String run = Long.toString(System.nanoTime() % 100_000);
        PlayedNode played = new PlayedNode(node, node.register("obsada" + run).connect(), node.register("obsbob" + run).connect());
        played.play();
        return played;
    }

    private void play() {
        for (TestPlayer player : List.of(ada, bob)) {
            player.next("no_match");
            player.send(new JsonObject().put("type", "quick_match").put("size", 2));
            player.next("queued");
        }
        int questions = ada.next("match_starting").getInteger("questionCount");
        bob.next("match_starting");
        for (int index = 0; index < questions; index++) {
            int question = index;
            for (TestPlayer player : List.of(ada, bob)) {
                player.next("question", f -> f.getInteger("index") == question);
                player.send(new JsonObject().put("type", "answer").put("index", question).put("option", 1));
                player.next("answer_accepted", f -> f.getInteger("index") == question);
                if (index == 0 && player == ada) {
                    // A second answer while the question is open is refused: an error frame, and a refused answer.
                    ada.send(new JsonObject().put("type", "answer").put("index", 0).put("option", 2));
                    ada.nextError("ALREADY_ANSWERED");
                }
            }
        }
        ada.next("match_finished");
        bob.next("match_finished");
        assertThat(ada.get("/api/v1/matches/00000000-0000-0000-0000-000000000000").statusCode())
            .as("a match that does not exist").isEqualTo(404);
        Eventually.await("the match's result is in both stores", WAIT,
            () -> metrics().value("quiz_result_store_lag_seconds_count", "store=\"redis\"") >= 1
                && metrics().value("quiz_result_store_lag_seconds_count", "store=\"postgres\"") >= 1);
    }

    int port() {
        return node.port();
    }

    /** {@code GET /metrics} as Prometheus reads it. */
    String scrape() {
        HttpResponse<Buffer> response = ada.anonymous("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
        return response.bodyAsString();
    }

    /** The node's metrics now. */
    Scrape metrics() {
        return Scrape.of(node);
    }

    @Override
    public void close() {
        ada.close();
        bob.close();
        node.close();
    }
}
