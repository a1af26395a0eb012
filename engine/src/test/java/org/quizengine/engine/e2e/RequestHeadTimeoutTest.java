package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * A connection that does not send a whole request head in time is closed (slowloris, half-open
 * upgrades); a kept-alive one gets longer for its next request, then is closed too; a WebSocket is
 * not timed out.
 */
class RequestHeadTimeoutTest {
    private static final int HEAD_SECONDS = 2;
    private static final int KEEP_ALIVE_SECONDS = 5;
    private static TestNode node;

    @BeforeAll
    static void startNode() {
        Map<String, String> env = new HashMap<>(TestNode.fastMatches());
        env.put("QUIZ_HTTP_REQUEST_HEAD_SECONDS", Integer.toString(HEAD_SECONDS));
        env.put("QUIZ_HTTP_KEEP_ALIVE_SECONDS", Integer.toString(KEEP_ALIVE_SECONDS));
        node = TestNode.start(env);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
            assertThat((System.nanoTime() - start) / 1e9).isBetween(HEAD_SECONDS - 0.5, HEAD_SECONDS + 5.0);
        }
    }

    @Test
    void aHeadSentOneLineAtATimeForTooLongIsClosed() throws IOException, InterruptedException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 20 && !closed; i++) {
                Thread.sleep(500);
                try {
                    out.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException reset) {
                    closed = true;
                }
                closed = closed || ConnectionLimitsTest.endOfStream(socket);
            }
            assertThat(closed).as("closed while the head was still coming").isTrue();
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(HEAD_SECONDS + 5.0);
        }
    }

    @Test
    void aKeptAliveConnectionWaitsLongerForItsNextRequestThanForItsFirst() throws IOException, InterruptedException {
        try (Socket socket = connect()) {
            byte[] request = "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(request);
            assertThat(readAvailable(socket.getInputStream())).startsWith("HTTP/1.1 200");
            // Idle past the head timeout, as a client's connection pool keeps a connection: still served.
            Thread.sleep((HEAD_SECONDS + 1) * 1000L);
            socket.getOutputStream().write(request);
            assertThat(readAvailable(socket.getInputStream())).startsWith("HTTP/1.1 200");
            // Then nothing more: closed once the keep-alive time has passed.
            long start = System.nanoTime();
            socket.setSoTimeout((KEEP_ALIVE_SECONDS + 5) * 1000);
            while (socket.getInputStream().read() != -1) {
                // whatever is left of the response
            }
            assertThat((System.nanoTime() - start) / 1e9).isBetween(KEEP_ALIVE_SECONDS - 0.5, KEEP_ALIVE_SECONDS + 5.0);
        }
    }

    @Test
    void aWebSocketOutlivesTheHeadTimeout() throws InterruptedException {
        try (TestPlayer player = node.register("headtimeout" + System.nanoTime() % 100_000).connect()) {
            player.next("no_match");
            Thread.sleep((HEAD_SECONDS + 1) * 1000L);
            assertThat(player.isClosed()).isFalse();
            player.send(new io.vertx.core.json.JsonObject().put("type", "ping").put("clientTime", 1L));
            assertThat(player.next("pong").getLong("clientTime")).isEqualTo(1L);
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("localhost", node.port());
        socket.setSoTimeout((HEAD_SECONDS + 5) * 1000);
        return socket;
    }

    private static String readAvailable(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        int read = in.read(buffer);
        return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.US_ASCII);
    }
}
