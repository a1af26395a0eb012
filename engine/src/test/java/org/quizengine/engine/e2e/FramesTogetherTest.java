package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.RawWebSocket;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerFrame;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * The frames one moment of a match sends a player leave the node together: with no reveal pause,
 * the reveal and the next question reach the player in one batch of bytes, not one packet (and one
 * system call on the node) each. A plain-socket client counts the reads that brought them.
 */
class FramesTogetherTest {
    @Test
    void theRevealAndTheNextQuestionArriveTogether() {
        Map<String, String> env = TestNode.fastMatches();
        env.put("QUIZ_MATCH_REVEAL_MILLIS", "0");
        env.put("QUIZ_NODE_EVENT_LOOPS", "1");
        env.put("QUIZ_MATCH_QUESTION_MILLIS", "30000"); // each closes once both have answered
        try (TestNode node = TestNode.start(env)) {
            playTwoQuestions(node);
        }
    }

    /** A step's last delivery lost on the way (its node died sending it) holds nothing for long. */
    @Test
    void aDeliveryThatSaysMoreFollowArrivesWhenNothingFollows() {
        Map<String, String> env = TestNode.fastMatches();
        env.put("QUIZ_NODE_EVENT_LOOPS", "1");
        try (TestNode node = TestNode.start(env);
             TestPlayer player = node.register("held" + System.nanoTime() % 100_000).connect()) {
            player.next("no_match");
            UUID matchId = UUID.randomUUID();
            node.vertx.eventBus().send(Addresses.nodeDeliveries(node.node.nodeId()), new Delivery(List.of(player.userId),
                ServerFrame.of(new ServerEvent.PlayerStatus(matchId, player.userId, "disconnected")), true));
            JsonObject status = player.next("player_status");
            assertThat(status.getString("matchId")).isEqualTo(matchId.toString());
        }
    }

    private static void playTwoQuestions(TestNode node) {
        String run = Long.toString(System.nanoTime() % 100_000);
        TestPlayer bob = node.register("bob" + run).connect();
        TestPlayer ada = node.register("ada" + run);
        try (RawWebSocket socket = RawWebSocket.connect(node.port(), ada.token)) {
            socket.next("no_match");
            bob.next("no_match");
            bob.send(new JsonObject().put("type", "quick_match").put("size", 2));
            socket.sendText(new JsonObject().put("type", "quick_match").put("size", 2).encode());
            JsonObject question = socket.next("question");
            // Of the 3 questions, the first two close when both have answered, ada last.
            for (int index = 0; index < 2; index++) {
                assertThat(question.getInteger("index")).isEqualTo(index);
                String matchId = question.getString("matchId");
                int answered = index;
                bob.send(new JsonObject().put("type", "answer").put("matchId", matchId).put("index", index).put("option", 0));
                bob.next("answer_accepted", f -> f.getInteger("index") == answered);
                socket.sendText(new JsonObject().put("type", "answer").put("matchId", matchId).put("index", index)
                    .put("option", 1).encode());

                socket.next("answer_accepted");
                JsonObject reveal = socket.next("reveal");
                question = socket.next("question");
                assertThat(reveal.getInteger("index")).isEqualTo(index);
                assertThat(question.getInteger("index")).isEqualTo(index + 1);
                assertThat(socket.socketReadOf(question)).as("the next question came with the reveal")
                    .isEqualTo(socket.socketReadOf(reveal));
            }
        } finally {
            bob.close();
        }
    }
}
