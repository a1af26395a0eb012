package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.gateway.WebSocketGateway;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.RawWebSocket;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;
import org.slf4j.LoggerFactory;

/**
 * Bad input of every kind on the players' WebSocket gets an error frame with a stable code, and
 * nothing else changes: the socket keeps working, the match keeps its state.
 */
class WebSocketBadInputTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static TestNode node;

    @BeforeAll
    static void startNode() {
        node = TestNode.start(TestNode.fastMatches());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static TestPlayer player() {
        TestPlayer player = node.register("bad" + System.nanoTime() % 100_000 + "x" + NAMES.incrementAndGet()).connect();
        player.next("no_match");
        return player;
    }

    private static JsonObject frame(String type) {
        return new JsonObject().put("type", type);
    }

    /** The socket still answers after whatever came before. */
    private static void assertStillServed(TestPlayer player) {
        long probe = System.nanoTime();
        player.send(frame("ping").put("clientTime", probe));
        assertThat(player.next("pong", f -> f.getLong("clientTime") == probe).getLong("serverTime")).isPositive();
    }

    @Test
    void anUpgradeWithoutAValidTokenIsRefusedWithAReason() {
        WebClient client = WebClient.create(node.vertx);
        HttpResponse<Buffer> none = TestPlayer.await(client.get(node.port(), "localhost", "/ws").send());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(none.bodyAsJsonObject().getString("code")).isEqualTo("UNAUTHORIZED");
        assertThat(none.bodyAsJsonObject().getString("detail")).contains("access_token");

        HttpResponse<Buffer> forged = TestPlayer.await(client.get(node.port(), "localhost", "/ws?access_token=abc.def.ghi").send());
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.bodyAsJsonObject().getString("code")).isEqualTo("UNAUTHORIZED");

        HttpResponse<Buffer> unreadable = TestPlayer.await(client.get(node.port(), "localhost", "/ws?access_token=%zz").send());
        assertThat(unreadable.statusCode()).isEqualTo(401);
        assertThat(unreadable.bodyAsJsonObject().getString("detail")).contains("access_token");
        client.close();
    }

    @Test
    void framesThatCannotBeReadGetTheirOwnCodes() {
        try (TestPlayer player = player()) {
            player.sendText("{nope");
            player.nextError("MALFORMED_MESSAGE");
            player.sendText("{\"type\":\"teleport\"}");
            assertThat(player.nextError("UNKNOWN_MESSAGE_TYPE").getString("message")).contains("teleport");
            player.sendText("{\"index\":1}");
            player.nextError("INVALID_MESSAGE");
            player.sendText("[1,2,3]");
            player.nextError("INVALID_MESSAGE");
            player.sendText("{\"type\":\"answer\",\"index\":\"one\",\"option\":1}");
            assertThat(player.nextError("INVALID_MESSAGE").getString("message")).contains("index");
            player.sendText("{\"type\":\"answer\",\"index\":\"1\",\"option\":1}");
            player.nextError("INVALID_MESSAGE");
            player.sendText("{\"type\":\"answer\",\"index\":1.5,\"option\":1}");
            player.nextError("INVALID_MESSAGE");
            player.sendBinary(new byte[] {1, 2, 3});
            assertThat(player.nextError("INVALID_MESSAGE").getString("message")).contains("Binary");
            assertStillServed(player);
        }
    }

    @Test
    void aMessageOverSixteenTimesTheFrameLimitClosesTheSocketWith1009() {
        String tooBig = "{\"type\":\"ping\",\"padding\":\"" + "x".repeat(70_000) + "\"}";
        // In two frames (this client's frames are at most 65,536 bytes).
        try (TestPlayer player = player()) {
            player.sendTextNoWait(tooBig);
            assertThat(player.awaitClosed()).isEqualTo((short) 1009);
        }
        // In one frame, as a browser sends it.
        TestPlayer player = player();
        player.close();
        WebSocketClient client = node.vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20));
        try {
            WebSocket socket = TestPlayer.await(client.connect(new WebSocketConnectOptions().setHost("localhost")
                .setPort(node.port()).setURI("/ws?access_token=" + player.token)));
            Promise<Short> closed = Promise.promise();
            socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
            socket.writeTextMessage(tooBig);
            assertThat(TestPlayer.await(closed.future())).isEqualTo((short) 1009);
        } finally {
            TestPlayer.await(client.close());
        }
    }

    @Test
    void aFewPingFramesAreAnsweredAndAStreamOfThemIsAFlood() {
        try (RawWebSocket socket = raw(rawPlayer())) {
            for (int i = 0; i < 20; i++) {
                socket.sendFrame(true, RawWebSocket.PING, new byte[0]);
            }
            Eventually.await("20 pongs", TestPlayer.WAIT, () -> socket.pongs() >= 20);
            assertThat(socket.closeStatus()).isNull();

            // Control frames carry no message, yet cost the node work: thousands of them close the socket.
            for (int i = 0; i < 3_000 && socket.closeStatus() == null; i++) {
                socket.sendFrame(true, RawWebSocket.PING, new byte[0]);
            }
            assertThat(socket.awaitClosed(TestPlayer.WAIT)).isEqualTo((short) 1008);
        }
    }

    @Test
    void aTextMessageThatIsNotUtf8ClosesTheSocketWith1007() {
        // 0xC3 starts a two-byte character; '(' cannot continue it.
        byte[] invalid = "{\"type\":\"ping\",\"x\":\"\u00c3(\"}".getBytes(StandardCharsets.ISO_8859_1);
        TestPlayer player = rawPlayer();
        ListAppender<ILoggingEvent> logged = gatewayLog();
        try (RawWebSocket socket = raw(player)) {
            socket.sendText(invalid);
            socket.sendText(invalid); // still in flight at the close
            assertThat(socket.awaitClosed(TestPlayer.WAIT)).isEqualTo((short) 1007);
            assertThat(socket.closeReason()).isEqualTo("not UTF-8");
            assertThat(socket.received()).as("nothing answered the message").extracting(f -> f.getString("type"))
                .doesNotContain("pong", "error");
            Eventually.sleep(Duration.ofMillis(300));
            assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains(player.userId.toString()))
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("Closing the socket of " + player.userId + ": it sent a text message that is not UTF-8");
        } finally {
            ((Logger) LoggerFactory.getLogger(WebSocketGateway.class)).detachAppender(logged);
        }
        // Split across fragments, a valid character stays valid, and a character cut short is caught.
        byte[] euro = "{\"type\":\"ping\",\"clientTime\":7,\"x\":\"\u20ac\"}".getBytes(StandardCharsets.UTF_8);
        int split = euro.length - 4; // inside the three bytes of the euro sign
        try (RawWebSocket socket = raw(rawPlayer())) {
            socket.sendFrame(false, RawWebSocket.TEXT, Arrays.copyOfRange(euro, 0, split));
            socket.sendFrame(true, RawWebSocket.CONTINUATION, Arrays.copyOfRange(euro, split, euro.length));
            assertThat(socket.next("pong").getLong("clientTime")).isEqualTo(7);
            socket.sendFrame(false, RawWebSocket.TEXT, Arrays.copyOfRange(euro, 0, split));
            socket.sendFrame(true, RawWebSocket.CONTINUATION, new byte[] {'"', '}'});
            assertThat(socket.awaitClosed(TestPlayer.WAIT)).isEqualTo((short) 1007);
        }
    }

    @Test
    void aFrameTheWebSocketProtocolRefusesClosesTheSocketWith1002() {
        byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        try (RawWebSocket socket = raw(rawPlayer())) {
            socket.sendFrame(true, RawWebSocket.CONTINUATION, ping); // no message to continue
            assertThat(socket.awaitClosed(TestPlayer.WAIT)).isEqualTo((short) 1002);
            assertThat(socket.closeReason()).isEqualTo("protocol error");
        }
        try (RawWebSocket socket = raw(rawPlayer())) {
            socket.sendFrame(true, 0x3, ping); // a reserved opcode
            assertThat(socket.awaitClosed(TestPlayer.WAIT)).isEqualTo((short) 1002);
        }
    }

    private static ListAppender<ILoggingEvent> gatewayLog() {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger(WebSocketGateway.class)).addAppender(logged);
        return logged;
    }

    /** A new account whose socket a test opens raw. */
    private static TestPlayer rawPlayer() {
        TestPlayer player = node.register("raw" + System.nanoTime() % 100_000 + "x" + NAMES.incrementAndGet());
        player.close();
        return player;
    }

    /** A raw socket for {@code player}, past its welcome and no_match. */
    private static RawWebSocket raw(TestPlayer player) {
        RawWebSocket socket = RawWebSocket.connect(node.port(), player.token);
        socket.next("welcome");
        socket.next("no_match");
        return socket;
    }

    @Test
    void oversizeFramesAreRefusedCountingBytesNotCharacters() {
        try (TestPlayer player = player()) {
            player.send(frame("ping").put("padding", "x".repeat(5000)));
            player.nextError("FRAME_TOO_LARGE");
            // 1,500 characters, 4,500 bytes in UTF-8: over the 4,096-byte limit.
            player.send(frame("ping").put("padding", "€".repeat(1500)));
            player.nextError("FRAME_TOO_LARGE");
            assertStillServed(player);
        }
    }

    @Test
    void aFloodIsLimitedAndAPersistentOneClosesTheSocket() throws InterruptedException {
        try (TestPlayer player = player()) {
            for (int i = 0; i < 100; i++) {
                player.send(frame("ping").put("clientTime", (long) i));
            }
            assertThat(player.nextError("RATE_LIMITED").getString("message")).contains("20 per second");
            assertThat(player.all("pong").size()).isLessThan(100);
            Thread.sleep(2_100); // the bucket refills at 20 frames a second
            assertStillServed(player);
        }
        Logger gatewayLog = (Logger) LoggerFactory.getLogger(WebSocketGateway.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        gatewayLog.addAppender(logged);
        try (TestPlayer flooder = player()) {
            for (int i = 0; i < 1_000 && !flooder.isClosed(); i++) {
                flooder.sendTextNoWait("{\"type\":\"ping\"}");
            }
            assertThat(flooder.awaitClosed()).isEqualTo((short) 1008);
            Thread.sleep(500); // frames still in flight at the close arrive meanwhile
            assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains(flooder.userId.toString()))
                .as("one line for the flooding socket, however many frames were still coming")
                .extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "Closing the socket of " + flooder.userId + ": it kept flooding");
        } finally {
            gatewayLog.detachAppender(logged);
        }
    }

    @Test
    void matchmakingRequestsAreCheckedAndSqlLookingInputIsJustData() {
        try (TestPlayer player = player()) {
            player.send(frame("quick_match").put("category", "'; DROP TABLE users; --"));
            player.nextError("UNKNOWN_CATEGORY");
            player.send(frame("quick_match").put("size", 99));
            assertThat(player.nextError("INVALID_MATCH_SIZE").getString("ref")).isEqualTo("quick_match");
            player.send(frame("cancel_queue"));
            player.nextError("NOT_QUEUED");
            player.send(frame("join_lobby").put("code", "ZZZZZZ"));
            player.nextError("LOBBY_NOT_FOUND");
            player.send(frame("join_lobby"));
            player.nextError("INVALID_MESSAGE");
            player.send(frame("create_lobby").put("secondsPerQuestion", 1));
            player.nextError("INVALID_SETTINGS");
            player.send(frame("start_lobby"));
            player.nextError("NOT_IN_LOBBY");
            player.send(frame("answer").put("index", 0).put("option", 0));
            player.nextError("NOT_IN_MATCH");

            player.send(frame("quick_match").put("category", "science").put("size", 5));
            assertThat(player.next("queued").getString("category")).isEqualTo("science");
            player.send(frame("quick_match"));
            player.nextError("ALREADY_QUEUED");
            player.send(frame("cancel_queue"));
            player.next("queue_left");
            assertStillServed(player);
        }
        // The users table is still there and still takes registrations.
        player().close();
    }

    @Test
    void badAnswersInALiveMatchAreRefusedAndChangeNothing() {
        try (TestPlayer ada = player(); TestPlayer bob = player(); TestPlayer eve = player()) {
            ada.send(frame("quick_match").put("size", 2));
            bob.send(frame("quick_match").put("size", 2));
            String matchId = ada.next("match_starting").getString("matchId");
            bob.next("match_starting");
            ada.next("question", f -> f.getInteger("index") == 0);

            ada.send(frame("answer").put("index", 1).put("option", 0));
            ada.nextError("WRONG_QUESTION");
            ada.send(frame("answer").put("index", 0).put("option", 7));
            ada.nextError("INVALID_OPTION");
            ada.send(frame("answer").put("index", 0).put("option", -1));
            ada.nextError("INVALID_OPTION");
            eve.send(frame("answer").put("matchId", matchId).put("index", 0).put("option", 0));
            assertThat(eve.nextError("NOT_IN_MATCH").getString("ref")).isEqualTo("answer");
            ada.send(frame("quick_match"));
            ada.nextError("ALREADY_IN_MATCH");

            ada.send(frame("answer").put("index", 0).put("option", 1));
            ada.next("answer_accepted");
            ada.send(frame("answer").put("index", 0).put("option", 2));
            ada.nextError("ALREADY_ANSWERED");

            // bob never answers: the question closes at its deadline, and then it is too late.
            JsonObject reveal = ada.next("reveal", f -> f.getInteger("index") == 0);
            JsonObject adaResult = reveal.getJsonArray("results").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("userId").equals(ada.userId.toString())).findFirst().orElseThrow();
            assertThat(adaResult.getInteger("option")).as("the first answer stands").isEqualTo(1);
            bob.send(frame("answer").put("index", 0).put("option", 1));
            bob.nextError("QUESTION_CLOSED");
            assertStillServed(bob);
        }
    }

    @Test
    void aSecondConnectionReplacesTheFirst() {
        TestPlayer first = player();
        TestPlayer second = TestPlayer.register(node.vertx, node.port(), "dup" + System.nanoTime() % 100_000);
        second.close();
        try (TestPlayer again = player()) {
            // Same account, second socket: connect a fresh client with the first player's token.
            TestPlayer twin = first.twin();
            twin.connect();
            first.nextError("SESSION_REPLACED");
            assertThat(first.awaitClosed()).isEqualTo((short) 4000);
            assertStillServed(twin);
            twin.close();
            assertStillServed(again);
        } finally {
            first.close();
        }
    }
}
