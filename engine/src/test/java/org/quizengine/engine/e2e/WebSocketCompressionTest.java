package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * WebSocket compression is the operator's choice: a client that offers permessage-deflate (as every
 * browser does) gets plain frames from a node left on its defaults, and compressed ones, still
 * readable, from a node told to accept the offer.
 */
class WebSocketCompressionTest {

    @Test
    void aNodeOnItsDefaultsDeclinesTheOfferAndTheSocketWorks() {
        TestNode node = TestNode.start(TestNode.fastMatches());
        try {
            Handshake handshake = connectOfferingDeflate(node, "plain");
            assertThat(handshake.extensions()).isNull();
            assertThat(handshake.welcome().getInteger("protocol")).isEqualTo(1);
        } finally {
            node.close();
        }
    }

    @Test
    void aNodeToldToCompressAcceptsTheOfferAndTheSocketWorks() {
        Map<String, String> env = new HashMap<>(TestNode.fastMatches());
        env.put("QUIZ_GATEWAY_COMPRESSION", "true");
        TestNode node = TestNode.start(env);
        try {
            Handshake handshake = connectOfferingDeflate(node, "deflated");
            assertThat(handshake.extensions()).contains("permessage-deflate");
            assertThat(handshake.welcome().getInteger("protocol")).isEqualTo(1);
        } finally {
            node.close();
        }
    }

    /** What the server answered to the upgrade, and the first frame it sent. */
    private record Handshake(String extensions, JsonObject welcome) {
    }

    private static Handshake connectOfferingDeflate(TestNode node, String name) {
        TestPlayer player = node.register(name + System.nanoTime() % 1_000_000);
        WebSocketClient client = node.vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true));
        Promise<JsonObject> welcome = Promise.promise();
        WebSocket socket = TestPlayer.await(client.connect(new WebSocketConnectOptions().setHost("localhost").setPort(node.port())
            .setURI("/ws?access_token=" + player.token)).onSuccess(ws -> ws.textMessageHandler(text -> {
                JsonObject frame = new JsonObject(text);
                if ("welcome".equals(frame.getString("type"))) {
                    welcome.tryComplete(frame);
                }
            })));
        try {
            return new Handshake(socket.headers().get("Sec-WebSocket-Extensions"), TestPlayer.await(welcome.future()));
        } finally {
            TestPlayer.await(socket.close());
            TestPlayer.await(client.close());
        }
    }
}
