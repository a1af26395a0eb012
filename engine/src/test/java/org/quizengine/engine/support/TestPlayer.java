package org.quizengine.engine.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A player as a real client sees the server: a registered account, REST calls with its token, and a
 * real WebSocket whose frames are recorded in order. Blocking helpers are for the test thread only.
 */
public final class TestPlayer implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(15);

    private final Vertx vertx;
    private final int port;
    private final WebClient http;
    private final WebSocketClient sockets;
    public final String username;
    public final UUID userId;
    public final String token;
    private final List<JsonObject> frames = new ArrayList<>();
    /** Which frames a {@link #next} call has already taken; frames are taken in any order, none skipped. */
    private final List<Boolean> taken = new ArrayList<>();
    /** When each frame arrived ({@link System#nanoTime()}), by arrival position. */
    private final List<Long> arrivedAt = new ArrayList<>();
    private WebSocket socket;
    private volatile Short closeStatus;

    private TestPlayer(Vertx vertx, int port, String username, UUID userId, String token) {
        this.vertx = vertx;
        this.port = port;
        this.http = WebClient.create(vertx);
        this.sockets = vertx.createWebSocketClient();
        this.username = username;
        this.userId = userId;
        this.token = token;
    }

    /** Registers a new account over REST. */
    public static TestPlayer register(Vertx vertx, int port, String username) {
        WebClient client = WebClient.create(vertx);
        JsonObject body = new JsonObject().put("username", username).put("email", username + "@example.test")
            .put("password", "correct horse " + username);
        HttpResponse<Buffer> response = await(client.post(port, "localhost", "/api/v1/auth/register").sendJsonObject(body));
        assertThat(response.statusCode()).as("register %s: %s", username, response.bodyAsString()).isEqualTo(201);
        JsonObject json = response.bodyAsJsonObject();
        client.close();
        return new TestPlayer(vertx, port, username, UUID.fromString(json.getJsonObject("user").getString("id")),
            json.getString("accessToken"));
    }

    /** Another client for the same account (same token), as a second device would be. */
    public TestPlayer twin() {
        return new TestPlayer(vertx, port, username, userId, token);
    }

    /** The same account and token, against a node on another port (a restarted one, say). */
    public TestPlayer on(TestNode other) {
        return new TestPlayer(other.vertx, other.port(), username, userId, token);
    }

    /** Signs in to an existing account over REST. */
    public static TestPlayer login(Vertx vertx, int port, String username, String password) {
        WebClient client = WebClient.create(vertx);
        HttpResponse<Buffer> response = await(client.post(port, "localhost", "/api/v1/auth/login")
            .sendJsonObject(new JsonObject().put("login", username).put("password", password)));
        assertThat(response.statusCode()).as("login %s: %s", username, response.bodyAsString()).isEqualTo(200);
        JsonObject json = response.bodyAsJsonObject();
        client.close();
        return new TestPlayer(vertx, port, username, UUID.fromString(json.getJsonObject("user").getString("id")),
            json.getString("accessToken"));
    }

    /** The same account and token, against the node listening on {@code otherPort} (another process, say). */
    public TestPlayer onPort(int otherPort) {
        return new TestPlayer(vertx, otherPort, username, userId, token);
    }

    /** Opens the WebSocket with this player's token and waits for {@code welcome}. */
    public TestPlayer connect() {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(port)
            .setURI("/ws?access_token=" + token);
        closeStatus = null;
        // Handlers go on in the connect callback, on the event loop, so no early frame is missed.
        socket = await(sockets.connect(options).onSuccess(ws -> {
            ws.textMessageHandler(text -> {
                synchronized (frames) {
                    frames.add(new JsonObject(text));
                    taken.add(false);
                    arrivedAt.add(System.nanoTime());
                    frames.notifyAll();
                }
            });
            ws.closeHandler(v -> {
                closeStatus = ws.closeStatusCode() == null ? (short) 1006 : ws.closeStatusCode();
                synchronized (frames) {
                    frames.notifyAll();
                }
            });
        }));
        next("welcome");
        return this;
    }

    public void send(JsonObject frame) {
        sendText(frame.encode());
    }

    public void sendText(String text) {
        await(socket.writeTextMessage(text));
    }

    /** Sends without waiting for the write, as a flooding client would. */
    public void sendTextNoWait(String text) {
        socket.writeTextMessage(text);
    }

    public void sendBinary(byte[] bytes) {
        await(socket.writeBinaryMessage(Buffer.buffer(bytes)));
    }

    /** Closes the socket as a dropped connection would, and forgets nothing it received. */
    public void disconnect() {
        if (socket != null && !socket.isClosed()) {
            await(socket.close());
        }
    }

    public int port() {
        return port;
    }

    public Short closeStatus() {
        return closeStatus;
    }

    public boolean isClosed() {
        return socket == null || socket.isClosed();
    }

    /** Waits for the earliest frame of {@code type} not taken yet, and takes it. */
    public JsonObject next(String type) {
        return next(type, frame -> true);
    }

    /** Waits for the earliest frame of {@code type} matching {@code condition} not taken yet, and takes it. */
    public JsonObject next(String type, Predicate<JsonObject> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (frames) {
            while (true) {
                for (int i = 0; i < frames.size(); i++) {
                    JsonObject frame = frames.get(i);
                    if (!taken.get(i) && type.equals(frame.getString("type")) && condition.test(frame)) {
                        taken.set(i, true);
                        return frame;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(username + " got no matching '" + type + "' frame in " + WAIT
                        + "; frames not taken: " + untaken());
                }
                try {
                    frames.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    private List<JsonObject> untaken() {
        List<JsonObject> rest = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            if (!taken.get(i)) {
                rest.add(frames.get(i));
            }
        }
        return rest;
    }

    /** How many frames have arrived so far: a mark for {@link #firstSince}. */
    public int frameCount() {
        synchronized (frames) {
            return frames.size();
        }
    }

    /**
     * Waits up to {@code wait} for the earliest frame at arrival position {@code mark} or later that
     * matches {@code condition}, without taking it (a later {@link #next} still finds it).
     */
    public Optional<JsonObject> firstSince(int mark, Predicate<JsonObject> condition, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (frames) {
            while (true) {
                for (int i = mark; i < frames.size(); i++) {
                    if (condition.test(frames.get(i))) {
                        return Optional.of(frames.get(i));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                try {
                    frames.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** When {@code frame} (one this player received: the same object) arrived, as {@link System#nanoTime()}. */
    public long arrivedAt(JsonObject frame) {
        synchronized (frames) {
            for (int i = 0; i < frames.size(); i++) {
                if (frames.get(i) == frame) {
                    return arrivedAt.get(i);
                }
            }
        }
        throw new IllegalArgumentException("not a frame " + username + " received: " + frame);
    }

    /** Waits for an error frame with this code. */
    public JsonObject nextError(String code) {
        return next("error", frame -> code.equals(frame.getString("code")));
    }

    /** Every frame of {@code type} received so far. */
    public List<JsonObject> all(String type) {
        synchronized (frames) {
            return frames.stream().filter(f -> type.equals(f.getString("type"))).toList();
        }
    }

    /** Waits until the socket is closed by the server. */
    public short awaitClosed() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (frames) {
            while (closeStatus == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(username + "'s socket was not closed");
                }
                try {
                    frames.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return closeStatus;
        }
    }

    /** A GET with this player's token; returns status and body. */
    public HttpResponse<Buffer> get(String path) {
        return await(http.get(port, "localhost", path).bearerTokenAuthentication(token).send());
    }

    /** A GET without any token. */
    public HttpResponse<Buffer> anonymous(String path) {
        return await(http.get(port, "localhost", path).send());
    }

    public JsonObject getJson(String path) {
        HttpResponse<Buffer> response = get(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    public static JsonArray array(JsonObject json, String key) {
        return json.getJsonArray(key);
    }

    @Override
    public void close() {
        disconnect();
        http.close();
        sockets.close();
    }

    public static <T> T await(Future<T> future) {
        return await(future, WAIT);
    }

    public static <T> T await(Future<T> future, Duration wait) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("operation failed: " + e.getMessage(), e);
        }
    }
}
