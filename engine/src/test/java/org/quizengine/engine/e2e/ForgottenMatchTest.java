package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;

/**
 * A socket that was told of a match whose end never reached it (the frames were lost while a node
 * was frozen and the match moved) must not stay locked in it. The chaos run saw 20 players loop for
 * minutes: each {@code quick_match} got {@code ALREADY_IN_MATCH} from their socket's node, each
 * {@code resume} got {@code no_match}. Here the node delivers a {@code match_starting} for a match
 * that does not exist, as a lost match looks to the socket.
 */
class ForgottenMatchTest {
    @Test
    void aSocketToldNoMatchMayQueueAgainEvenIfItNeverSawItsMatchEnd() {
        try (TestNode node = TestNode.start(TestNode.fastMatches());
             TestPlayer player = node.register("ghost" + System.nanoTime() % 100_000).connect()) {
            player.next("no_match");
            UUID lost = UUID.randomUUID();
            node.vertx.eventBus().send(Addresses.nodeDeliveries(node.node.nodeId()), new Delivery(List.of(player.userId),
                new ServerEvent.MatchStarting(lost, "quick", "science", List.of(new PlayerInfo(player.userId, player.username)),
                    5, 2_000, System.currentTimeMillis() + 1_000, System.currentTimeMillis())));
            player.next("match_starting");

            player.send(new JsonObject().put("type", "resume"));
            player.next("no_match");
            player.send(new JsonObject().put("type", "quick_match").put("size", 2));

            JsonObject answer = player.next("queued");
            assertThat(answer.getString("type")).isEqualTo("queued");
            assertThat(player.all("error")).as("no ALREADY_IN_MATCH after no_match").isEmpty();
        }
    }
}
