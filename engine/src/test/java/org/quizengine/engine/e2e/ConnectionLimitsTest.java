package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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
 * A request body that does not arrive in time closes its connection, and connections that are not
 * WebSockets are capped, so opening connections and never finishing requests takes neither the
 * node's open files nor its players' sockets.
 */
class ConnectionLimitsTest {
    private static final int BODY_SECONDS = 2;
    private static final int MAX_NON_WEBSOCKETS = 30;
    private static TestNode node;

    @BeforeAll
    static void startNode() {
        Map<String, String> env = new HashMap<>(TestNode.fastMatches());
        // Long enough that no connection of these tests is closed for a missing head.
        env.put("QUIZ_HTTP_REQUEST_HEAD_SECONDS", "60");
        env.put("QUIZ_HTTP_REQUEST_BODY_SECONDS", Integer.toString(BODY_SECONDS));
        env.put("QUIZ_HTTP_MAX_NON_WEB_SOCKET_CONNECTIONS", Integer.toString(MAX_NON_WEBSOCKETS));
        node = TestNode.start(env);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aBodyThatStopsComingIsClosed() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"login\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            assertThat(readAll(socket.getInputStream())).as("no answer to half a body").isEmpty();
            assertThat((System.nanoTime() - start) / 1e9).isBetween(BODY_SECONDS - 0.5, BODY_SECONDS + 5.0);
        }
    }

    @Test
    void aHugeBodyIsRefusedWithoutWaitingForIt() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = readAll(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("BODY_TOO_LARGE");
            assertThat((System.nanoTime() - start) / 1e9).as("closed, not kept for the body").isLessThan(BODY_SECONDS + 5.0);
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnceAndPlayersAreNotAmongThem() throws IOException {
        List<TestPlayer> players = new ArrayList<>();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                TestPlayer player = node.register("cap" + System.nanoTime() % 100_000 + "x" + i).connect();
                player.next("no_match");
                players.add(player);
            }
            // More than the cap, opened as fast as they can be; the test's own HTTP client may hold a
            // few kept-alive connections too.
            for (int i = 0; i < MAX_NON_WEBSOCKETS + 10; i++) {
                idle.add(connect());
            }
            int open = 0;
            for (Socket socket : idle) {
                open += endOfStream(socket) ? 0 : 1;
            }
            assertThat(open).as("connections kept, of %d opened", idle.size())
                .isBetween(MAX_NON_WEBSOCKETS - 10, MAX_NON_WEBSOCKETS);

            // The players' sockets are WebSockets: they were not counted, and they still play.
            for (TestPlayer player : players) {
                long probe = System.nanoTime();
                player.send(new JsonObject().put("type", "ping").put("clientTime", probe));
                assertThat(player.next("pong", f -> f.getLong("clientTime") == probe)).isNotNull();
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
            players.forEach(TestPlayer::close);
        }
        // Once they are gone, the node takes connections again.
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void webSocketsOpenedAndClosedOneAfterAnotherNeverUseUpTheCap() throws IOException {
        TestPlayer player = node.register("churn" + System.nanoTime() % 100_000);
        // Each upgrade's connection stops counting once it is a WebSocket: these 65 used to stay counted
        // for the life of the process, and from the 30th on every new connection was closed at once.
        for (int i = 0; i < 2 * MAX_NON_WEBSOCKETS + 5; i++) {
            player.connect();
            player.next("no_match");
            player.disconnect();
        }
        player.close();
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("localhost", node.port());
        socket.setSoTimeout(socketTimeoutSeconds() * 1000);
        return socket;
    }

    private static int socketTimeoutSeconds() {
        return BODY_SECONDS + 10;
    }

    /** Whether the server has closed its side (reads with a short timeout). */
    static boolean endOfStream(Socket socket) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(100);
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** Everything the server sends until it closes the connection. */
    private static String readAll(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                text.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the connection is still open after " + socketTimeoutSeconds() + " s: " + text);
        } catch (IOException reset) {
            // closed with a reset: what came before counts
        }
        return text.toString();
    }
}
