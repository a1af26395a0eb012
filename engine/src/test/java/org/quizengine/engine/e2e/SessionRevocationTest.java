package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * A session ended over REST ends the player's live WebSocket too: after logout, a password change
 * elsewhere or an admin disabling the account, the socket gets an error frame saying why and is
 * closed with 4001, and the same token can no longer open a socket.
 */
class SessionRevocationTest {
    private static final String ADMIN = "sessionsadmin";
    private static final String ADMIN_PASSWORD = "the admin's own password";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static TestNode node;
    private static WebClient http;

    @BeforeAll
    static void startNode() {
        Map<String, String> env = TestNode.fastMatches();
        env.put("QUIZ_AUTH_ADMIN_USERNAME", ADMIN);
        env.put("QUIZ_AUTH_ADMIN_EMAIL", ADMIN + "@example.test");
        env.put("QUIZ_AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        node = TestNode.start(env);
        http = WebClient.create(node.vertx);
    }

    @AfterAll
    static void stopNode() {
        if (http != null) {
            http.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static TestPlayer connectedPlayer() {
        TestPlayer player = node.register("rev" + System.nanoTime() % 100_000 + "x" + NAMES.incrementAndGet()).connect();
        player.next("no_match");
        return player;
    }

    @Test
    void loggingOutClosesThePlayersSocketAndItsTokenCannotOpenAnother() {
        try (TestPlayer player = connectedPlayer()) {
            assertThat(post("/api/v1/auth/logout", player.token).statusCode()).isEqualTo(204);

            assertThat(player.nextError("SESSION_REVOKED").getString("message")).contains("signed out");
            assertThat(player.awaitClosed()).isEqualTo((short) 4001);
            assertUpgradeRefused(player.token, "SESSION_REVOKED");
        }
    }

    @Test
    void aDisabledAccountsSocketIsClosedAndCannotReconnect() {
        TestPlayer admin = TestPlayer.login(node.vertx, node.port(), ADMIN, ADMIN_PASSWORD);
        try (TestPlayer player = connectedPlayer(); TestPlayer bystander = connectedPlayer()) {
            HttpResponse<Buffer> disabled = post("/api/v1/admin/users/" + player.userId + "/disable", admin.token);
            assertThat(disabled.statusCode()).as(disabled.bodyAsString()).isEqualTo(204);

            player.nextError("ACCOUNT_DISABLED");
            assertThat(player.awaitClosed()).isEqualTo((short) 4001);
            assertUpgradeRefused(player.token, "ACCOUNT_DISABLED");

            // Nobody else's socket is touched.
            long probe = System.nanoTime();
            bystander.send(new JsonObject().put("type", "ping").put("clientTime", probe));
            assertThat(bystander.next("pong", f -> f.getLong("clientTime") == probe)).isNotNull();
            assertThat(bystander.isClosed()).isFalse();
        } finally {
            admin.close();
        }
    }

    @Test
    void aPlayersOwnOtherDeviceEndingThisSessionClosesItsSocket() {
        try (TestPlayer player = connectedPlayer()) {
            TestPlayer otherDevice = TestPlayer.login(node.vertx, node.port(), player.username, "correct horse " + player.username);
            HttpResponse<Buffer> changed = await(http.put(node.port(), "localhost", "/api/v1/me/password")
                .bearerTokenAuthentication(otherDevice.token)
                .sendJsonObject(new JsonObject().put("currentPassword", "correct horse " + player.username)
                    .put("newPassword", "a different passphrase")));
            assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(204);

            player.nextError("SESSION_REVOKED");
            assertThat(player.awaitClosed()).isEqualTo((short) 4001);
            assertUpgradeRefused(player.token, "SESSION_REVOKED");
            otherDevice.close();
        }
    }

    private static void assertUpgradeRefused(String token, String code) {
        int status = code.equals("ACCOUNT_DISABLED") ? 403 : 401;
        WebSocketClient sockets = node.vertx.createWebSocketClient();
        try {
            Throwable failure = sockets.connect(new WebSocketConnectOptions().setHost("localhost").setPort(node.port())
                    .setURI("/ws?access_token=" + token))
                .toCompletionStage().toCompletableFuture().handle((socket, error) -> error).join();
            assertThat(failure).as("a WebSocket opened with a revoked token").isInstanceOf(UpgradeRejectedException.class);
            assertThat(((UpgradeRejectedException) failure).getStatus()).as(code).isEqualTo(status);
        } finally {
            sockets.close();
        }
        HttpResponse<Buffer> refused = await(http.get(node.port(), "localhost", "/ws?access_token=" + token).send());
        assertThat(refused.statusCode()).isEqualTo(status);
        assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo(code);
    }

    private static HttpResponse<Buffer> post(String path, String token) {
        return await(http.post(node.port(), "localhost", path).bearerTokenAuthentication(token).send());
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        return TestPlayer.await(future);
    }
}
