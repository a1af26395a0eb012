package org.quizengine.engine.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quizengine.shared.Wire;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerFrame;

/** What crosses from one node to another with every answer and every event arrives as it was sent. */
class BinaryCodecsTest {
    private final UUID ann = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();
    private final UUID matchId = UUID.randomUUID();

    @Test
    void everyMatchCommandCrossesUnchanged() {
        List<MatchCommand> commands = List.of(new MatchCommand.SubmitAnswer(ann, 3, 2), new MatchCommand.SubmitAnswer(ann, 3, 2).again(),
            new MatchCommand.Attach(ann, "node-b", "socket-1"), new MatchCommand.Detach(bob, null),
            new MatchCommand.Detach(bob, "socket-2"), new MatchCommand.Leave(ann));
        for (MatchCommand command : commands) {
            MatchCommandCodec codec = new MatchCommandCodec(command.getClass());
            Buffer wire = Buffer.buffer().appendString("header");
            codec.encodeToWire(wire, command);
            assertThat(codec.decodeFromWire("header".length(), wire)).isEqualTo(command);
        }
    }

    @Test
    void aFramesBytesAreItsTextInUtf8EmojiIncluded() {
        ServerEvent queued = new ServerEvent.Queued("Crêpes \uD83E\uDD5E — naïve", 10, 3);

        ServerFrame frame = ServerFrame.of(queued);

        assertThat(frame.utf8()).isEqualTo(Wire.encode(queued).getBytes(StandardCharsets.UTF_8));
        assertThat(frame.text()).contains("Crêpes \uD83E\uDD5E — naïve");
        assertThat(frame.event()).isEqualTo(queued);
    }

    @Test
    void aDeliveryCrossesAsTheSameFrameWithoutBeingDecoded() {
        ServerEvent status = new ServerEvent.PlayerStatus(matchId, ann, "disconnected");
        Delivery delivery = new Delivery(List.of(ann, bob), status);
        Delivery outsideAnyMatch = new Delivery(List.of(bob), ServerFrame.ofText("no_match", null, "{\"type\":\"no_match\",\"é\":\"Crêpe — naïve\"}"));
        Delivery moreOfItsStep = new Delivery(List.of(ann), delivery.frame(), true);
        DeliveryCodec codec = new DeliveryCodec();

        for (Delivery sent : List.of(delivery, outsideAnyMatch, moreOfItsStep)) {
            Buffer wire = Buffer.buffer().appendInt(42);
            codec.encodeToWire(wire, sent);
            assertThat(codec.decodeFromWire(4, wire)).isEqualTo(sent);
        }
        assertThat(delivery.frame().type()).isEqualTo("player_status");
        assertThat(delivery.frame().matchId()).isEqualTo(matchId);
        assertThat(delivery.event()).isEqualTo(status);
        assertThat(delivery.moreFollow()).isFalse();
    }
}
