package org.quizengine.bench.load;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One simulated player, driven by the frames it receives, as a real game client would be: it signs
 * in over REST, opens its WebSocket, queues for quick matches (or plays its group's lobby), answers
 * each question after a think time, drops and reconnects when told to, and queues again when a match
 * ends. Everything runs on its worker's single event loop.
 */
final class SimPlayer {
    private static final long RETRY_MILLIS = 1_000;
    /** Longer than any question here: a match this silent may be gone, and {@code resume} says so. */
    private static final long MATCH_SILENCE_NANOS = 10_000_000_000L;
    /** A recovery slower than this (the chaos target) is reported with what the player did and heard meanwhile. */
    static final long SLOW_RECOVERY_MILLIS = 3_000;
    /** The most steps one recovery's trace keeps. */
    private static final int TRACE_STEPS = 40;
    /** The longest text message a player reads (Vert.x's client aggregated up to 256 KB). */
    private static final int MAX_MESSAGE_BYTES = 1 << 20;

    private final LoadWorker worker;
    private final int number;
    private final String username;
    private final LobbyGroup lobby;
    private int urlIndex;
    /** The node of the current socket, or of the last one: a crash closes it before the fault is marked. */
    private String socketUrl = "";
    private String token;
    private WebSocket socket;
    private boolean wanted;
    private boolean leavingOnPurpose;
    private boolean everConnected;
    private long reconnectDelay = 100;
    // The current match, as this player knows it.
    private UUID matchId;
    private int questionCount;
    private int openIndex = -1;
    private int dropAtIndex = -1;
    private int pendingIndex = -1;
    private long pendingSentNanos;
    private long recoveringSince = -1;
    private String recoveringFrom;
    /** While recovering: what this player did and heard since the disruption, for the report if it was slow. */
    private List<String> trace;
    private int traceSkipped;
    private long lastHeardNanos;
    private long pingSentNanos = -1;
    private long lastFromMatchNanos;
    /** The last match this player was told it no longer has: told again (it asked again), it is one loss. */
    private UUID lostMatchId;
    private long echoTimer = -1;
    /** The frames so far of a text message sent in several (the node does not, but a client must cope). */
    private Buffer partial;

    SimPlayer(LoadWorker worker, int number, LobbyGroup lobby) {
        this.worker = worker;
        this.number = number;
        this.username = worker.config().userPrefix() + "_" + number;
        this.lobby = lobby;
        this.urlIndex = number % worker.config().urls().size();
    }

    boolean connected() {
        return socket != null;
    }

    boolean inMatch() {
        return matchId != null;
    }

    boolean wanted() {
        return wanted;
    }

    /** Starts playing (signing in first if needed); a player already playing carries on. */
    void start() {
        wanted = true;
        if (socket == null) {
            (token == null && !worker.config().echo() ? signIn() : Future.succeededFuture()).onComplete(done -> connect());
        }
    }

    /** Stops after the current match; at once if not in one. */
    void stopWhenIdle() {
        wanted = false;
        if (matchId == null) {
            close();
        }
    }

    void close() {
        wanted = false;
        leavingOnPurpose = true;
        worker.vertx().cancelTimer(echoTimer);
        if (socket != null) {
            socket.close();
        }
    }

    /**
     * If the disruption touches this player's match, the time from it until the player next hears from
     * its match (a question, a reveal, an acknowledgement, its resumed state, the end) counts as a recovery.
     */
    void markDisruption(LoadWorker.Disruption disruption) {
        if (matchId != null && disruption.touches(socketUrl, matchId)) {
            recoveringSince = disruption.atMillis();
            recoveringFrom = disruption.fault();
            trace = new ArrayList<>();
            traceSkipped = 0;
            note("touched: socket on " + socketUrl + (socket == null ? " (closed)" : "") + ", match " + matchId
                + ", question " + openIndex + (pendingIndex >= 0 ? ", answer to " + pendingIndex + " unacknowledged" : ""));
            worker.stats().marked(disruption.fault());
        }
    }

    /**
     * What a careful client does, since a frozen node keeps its sockets open and says nothing: after
     * {@code livenessMillis} of silence it pings, and if nothing at all arrives within as long again it
     * gives the socket up and reconnects through the next node.
     */
    void checkLiveness(long nowNanos) {
        long limit = worker.config().livenessMillis() * 1_000_000L;
        if (socket != null && matchId != null && nowNanos - lastFromMatchNanos > MATCH_SILENCE_NANOS) {
            // The node answers but the match has said nothing for longer than a question lasts: ask.
            lastFromMatchNanos = nowNanos;
            send(new JsonObject().put("type", "resume"));
        }
        if (socket == null || nowNanos - lastHeardNanos < limit) {
            return;
        }
        if (pingSentNanos < 0) {
            pingSentNanos = nowNanos;
            note("socket silent: ping");
            send(new JsonObject().put("type", "ping").put("clientTime", System.currentTimeMillis()));
        } else if (nowNanos - pingSentNanos >= limit) {
            worker.stats().abandoned();
            note("socket still silent: given up");
            WebSocket silent = socket;
            closed();
            silent.close();
        }
    }

    // --- signing in and connecting ---

    private Future<Void> signIn() {
        JsonObject register = new JsonObject().put("username", username)
            .put("email", username + "@bench.example.test").put("password", worker.config().password());
        return post("/api/v1/auth/register", register)
            .compose(response -> response.getInteger("status") == 409
                ? post("/api/v1/auth/login", new JsonObject().put("login", username).put("password", worker.config().password()))
                : Future.succeededFuture(response))
            .compose(response -> {
                JsonObject body = response.getJsonObject("body");
                int status = response.getInteger("status");
                if ((status != 200 && status != 201) || body == null || body.getString("accessToken") == null) {
                    return Future.failedFuture("sign-in answered " + status + ": " + body);
                }
                token = body.getString("accessToken");
                worker.stats().signedIn(UUID.fromString(body.getJsonObject("user").getString("id")));
                return Future.<Void>succeededFuture();
            })
            .onFailure(e -> {
                worker.stats().signInFailed();
                worker.log("player " + username + " could not sign in: " + e.getMessage());
            });
    }

    private Future<JsonObject> post(String path, JsonObject body) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
            .setAbsoluteURI(url() + path).putHeader("Content-Type", "application/json");
        return worker.http().request(request)
            .compose(req -> req.send(body.toBuffer()))
            .compose(resp -> resp.body().map(buffer -> new JsonObject()
                .put("status", resp.statusCode()).put("body", asJson(buffer))));
    }

    private static JsonObject asJson(Buffer buffer) {
        try {
            return buffer.length() == 0 ? null : buffer.toJsonObject();
        } catch (RuntimeException e) {
            return new JsonObject().put("unparsed", buffer.toString());
        }
    }

    private void connect() {
        if (!wanted && matchId == null) {
            return; // a player told to stop still comes back to finish the match it is in
        }
        if (token == null && !worker.config().echo()) {
            retryConnect();
            return;
        }
        String target = url().replaceFirst("^http", "ws") + (worker.config().echo()
            ? "/echo" : "/ws?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        leavingOnPurpose = false;
        note("connecting to " + url());
        worker.webSockets().connect(new WebSocketConnectOptions().setAbsoluteURI(target))
            .onSuccess(this::opened)
            .onFailure(e -> {
                worker.stats().connectFailed();
                note("connect failed: " + e.getMessage());
                if (e.getMessage() != null && e.getMessage().contains("401")) {
                    token = null; // expired: sign in again
                }
                retryConnect();
            });
    }

    private void retryConnect() {
        urlIndex++;
        reconnectDelay = Math.min(2_000, reconnectDelay * 2);
        worker.vertx().setTimer(reconnectDelay + worker.random().nextInt(200), id -> {
            if (token == null && !worker.config().echo()) {
                signIn().onComplete(done -> connect());
            } else {
                connect();
            }
        });
    }

    private void opened(WebSocket ws) {
        socket = ws;
        partial = null;
        socketUrl = url();
        note("socket open");
        heard();
        reconnectDelay = 100;
        if (everConnected) {
            worker.stats().reconnected();
        }
        everConnected = true;
        // A socket given up as silent may still deliver frames or close later: only the current one counts.
        // Text messages are read as bytes: most frames need only their type (see received).
        ws.frameHandler(frame -> {
            if (socket != ws) {
                return;
            }
            if (frame.isText() || (frame.isContinuation() && partial != null)) {
                Buffer data = frame.binaryData();
                if (!frame.isFinal()) {
                    partial = partial == null ? data.copy() : partial.appendBuffer(data);
                    if (partial.length() > MAX_MESSAGE_BYTES) {
                        partial = null; // its other fragments are dropped too: no frame of the protocol is this long
                    }
                    return;
                }
                Buffer message = partial == null ? data : partial.appendBuffer(data);
                partial = null;
                heard();
                received(message);
            }
        });
        ws.closeHandler(v -> {
            if (socket == ws) {
                closed();
            }
        });
        ws.exceptionHandler(e -> { });
        if (worker.config().echo()) {
            scheduleEcho();
        }
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
        pingSentNanos = -1;
    }

    private void closed() {
        note("socket closed");
        socket = null;
        pendingIndex = -1;
        worker.vertx().cancelTimer(echoTimer);
        if (lobby != null) {
            lobby.left(this);
        }
        if (leavingOnPurpose || (!wanted && matchId == null)) {
            return;
        }
        // The server went away (drain, crash): reconnect through the next node, as a client would.
        urlIndex++;
        worker.vertx().setTimer(100 + worker.random().nextInt(500), id -> connect());
    }

    private String url() {
        List<String> urls = worker.config().urls();
        return urls.get(Math.floorMod(urlIndex, urls.size()));
    }

    // --- the echo baseline ---

    private void scheduleEcho() {
        int mean = worker.config().echoIntervalMillis();
        echoTimer = worker.vertx().setTimer(mean / 2 + worker.random().nextInt(mean), id -> {
            if (socket != null) {
                pendingSentNanos = System.nanoTime();
                send(new JsonObject().put("type", "answer").put("index", 0).put("option", 1));
                scheduleEcho();
            }
        });
    }

    // --- the game ---

    private void received(Buffer text) {
        if (worker.config().echo()) {
            worker.stats().echoed(System.nanoTime() - pendingSentNanos);
            return;
        }
        String type = FrameType.of(text);
        worker.stats().frameReceived(type, text.length());
        if (trace != null) {
            JsonObject frame = new JsonObject(text); // parsed again below: only while a recovery is traced
            note("got " + type + (frame.containsKey("code") ? " " + frame.getString("code") : "")
                + (frame.containsKey("ref") ? " to " + frame.getString("ref") : "")
                + (frame.containsKey("index") ? " " + frame.getValue("index") : ""));
        }
        // A frame is parsed only where its fields are used: a reveal, most of the bytes, never is.
        switch (type) {
            case "no_match" -> noMatch();
            case "match_starting" -> matchStarting(new JsonObject(text));
            case "question" -> question(new JsonObject(text), true);
            case "answer_accepted" -> answerAccepted(new JsonObject(text));
            case "reveal" -> recovered();
            case "match_state" -> matchState(new JsonObject(text));
            case "match_finished" -> matchFinished(new JsonObject(text));
            case "lobby" -> lobbyUpdate(new JsonObject(text));
            case "lobby_closed" -> lobbyClosed();
            case "error" -> error(new JsonObject(text));
            default -> { } // welcome, queued, queue_left, pong, player_status, answer_count, reconnect: nothing to do
        }
    }

    private void noMatch() {
        if (matchId != null && !matchId.equals(lostMatchId)) {
            worker.stats().lostMatch(matchId, System.currentTimeMillis(), recoveringSince >= 0 ? recoveringFrom : null, trace);
            lostMatchId = matchId;
        }
        recoveringSince = -1;
        trace = null;
        matchId = null;
        if (!wanted) {
            close();
        } else {
            lookForMatch();
        }
    }

    private void lookForMatch() {
        if (lobby == null) {
            send(new JsonObject().put("type", "quick_match").put("size", worker.config().matchSize()));
        } else {
            lobby.ready(this);
        }
    }

    private void matchStarting(JsonObject frame) {
        matchId = UUID.fromString(frame.getString("matchId"));
        lastFromMatchNanos = System.nanoTime();
        questionCount = frame.getInteger("questionCount");
        openIndex = -1;
        dropAtIndex = worker.random().nextDouble() < worker.config().dropShare() ? worker.random().nextInt(questionCount) : -1;
        if (lobby != null) {
            lobby.started(this);
        }
    }

    private void question(JsonObject question, boolean fresh) {
        recovered();
        int index = question.getInteger("index");
        openIndex = index;
        if (fresh) {
            worker.stats().questionReceived(System.currentTimeMillis() - question.getLong("openedAt"));
        }
        if (fresh && index == dropAtIndex) {
            drop();
            return;
        }
        List<String> options = question.getJsonArray("options").stream().map(String.class::cast).toList();
        int option = choose(question.getString("text"), options);
        long think = worker.config().thinkMinMillis()
            + worker.random().nextInt(Math.max(1, worker.config().thinkMaxMillis() - worker.config().thinkMinMillis()));
        if (!fresh) {
            long remaining = question.getLong("deadline") - System.currentTimeMillis();
            think = Math.max(1, Math.min(think, remaining - 100));
        }
        UUID match = matchId;
        worker.vertx().setTimer(think, id -> answer(match, index, option));
    }

    private int choose(String text, List<String> options) {
        int correct = worker.answerKey().correctOption(text, options).orElse(-1);
        boolean right = worker.random().nextDouble() < worker.config().accuracy();
        if (correct < 0 || right) {
            return correct < 0 ? worker.random().nextInt(options.size()) : correct;
        }
        int wrong = worker.random().nextInt(options.size() - 1);
        return wrong >= correct ? wrong + 1 : wrong;
    }

    private void answer(UUID match, int index, int option) {
        if (socket == null || !match.equals(matchId) || index != openIndex) {
            return;
        }
        pendingIndex = index;
        pendingSentNanos = System.nanoTime();
        worker.stats().answerSent();
        send(new JsonObject().put("type", "answer").put("index", index).put("option", option));
    }

    private void answerAccepted(JsonObject frame) {
        recovered();
        if (frame.getInteger("index") == pendingIndex) {
            worker.stats().answerAcknowledged(UUID.fromString(frame.getString("matchId")), System.nanoTime() - pendingSentNanos);
            pendingIndex = -1;
        }
    }

    private void matchState(JsonObject frame) {
        matchId = UUID.fromString(frame.getString("matchId"));
        questionCount = frame.getInteger("questionCount");
        recovered();
        JsonObject question = frame.getJsonObject("question");
        if (question != null && frame.getValue("yourAnswer") == null) {
            question(question, false);
        }
    }

    private void matchFinished(JsonObject frame) {
        recovered();
        worker.stats().matchFinished(UUID.fromString(frame.getString("matchId")));
        matchId = null;
        openIndex = -1;
        if (!wanted) {
            close();
        } else {
            lookForMatch();
        }
    }

    private void recovered() {
        lastFromMatchNanos = System.nanoTime();
        if (recoveringSince >= 0) {
            long millis = System.currentTimeMillis() - recoveringSince;
            worker.stats().recoveredAfter(recoveringFrom, millis);
            if (millis > SLOW_RECOVERY_MILLIS) {
                worker.stats().slowRecovery(recoveringFrom, millis, username, trace);
            }
            recoveringSince = -1;
            trace = null;
        }
    }

    /** Reports the trace of a recovery that never ended (called as the run stops). */
    void reportUnfinishedRecovery() {
        if (recoveringSince >= 0 && trace != null) {
            worker.stats().slowRecovery(recoveringFrom, -1, username, trace);
        }
    }

    /**
     * One step of the current recovery's trace, with its time since the disruption. Past
     * {@link #TRACE_STEPS} the line before the last counts the steps left out and the last is the
     * newest step, so a long recovery still shows how it ended.
     */
    private void note(String step) {
        if (trace == null) {
            return;
        }
        String line = "+" + (System.currentTimeMillis() - recoveringSince) + " ms " + step;
        if (trace.size() < TRACE_STEPS) {
            trace.add(line);
            return;
        }
        traceSkipped += traceSkipped == 0 ? 2 : 1; // the first time, two steps give way: the marker's and the newest's
        trace.set(TRACE_STEPS - 2, "... " + traceSkipped + " more steps");
        trace.set(TRACE_STEPS - 1, line);
    }

    /** Leaves mid-match the way a phone losing its signal does, and comes back a moment later. */
    private void drop() {
        worker.stats().dropped();
        dropAtIndex = -1;
        leavingOnPurpose = true;
        socket.close();
        worker.vertx().setTimer(500 + worker.random().nextInt(1_500), id -> connect());
    }

    private void lobbyUpdate(JsonObject frame) {
        if (lobby != null) {
            JsonArray players = frame.getJsonArray("players");
            lobby.update(this, frame.getString("code"), players.size(), frame.getInteger("maxPlayers"));
        }
    }

    private void lobbyClosed() {
        if (lobby != null && wanted && matchId == null) {
            worker.vertx().setTimer(RETRY_MILLIS, id -> lobby.ready(this));
        }
    }

    private void error(JsonObject frame) {
        String code = frame.getString("code");
        String ref = frame.getString("ref");
        worker.stats().error(code);
        if (code.equals("ALREADY_IN_MATCH") && matchId == null) {
            // The server has this player in a match this player does not know of: ask which.
            worker.vertx().setTimer(RETRY_MILLIS / 2, id -> send(new JsonObject().put("type", "resume")));
        } else if (("quick_match".equals(ref) || "start_lobby".equals(ref)) && !code.startsWith("ALREADY_")) {
            worker.vertx().setTimer(RETRY_MILLIS, id -> lookForMatchIfIdle());
        } else if ("join_lobby".equals(ref) || "create_lobby".equals(ref)) {
            worker.vertx().setTimer(RETRY_MILLIS, id -> lookForMatchIfIdle());
        } else if (ref == null && code.equals("SERVICE_UNAVAILABLE") || "resume".equals(ref) || code.equals("MATCH_NOT_FOUND")
            || (code.equals("NOT_IN_MATCH") && matchId != null)) {
            // Where is my match? resume answers with its state, or no_match.
            worker.vertx().setTimer(RETRY_MILLIS / 2, id -> send(new JsonObject().put("type", "resume")));
        }
    }

    private void lookForMatchIfIdle() {
        if (wanted && matchId == null && socket != null) {
            lookForMatch();
        }
    }

    void send(JsonObject frame) {
        if (trace != null) {
            note("sent " + frame.getString("type") + (frame.containsKey("index") ? " " + frame.getValue("index") : "")
                + (socket == null ? " (no socket)" : ""));
        }
        if (socket != null) {
            socket.writeTextMessage(frame.encode());
        }
    }

    int number() {
        return number;
    }
}
