package org.quizengine.engine.gateway;

import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.quizengine.engine.metrics.GameMeters;
import org.quizengine.shared.Wire;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerFrame;

/** One player's open socket on this node, and what the gateway knows about it. */
final class PlayerConnection {
    static final String MATCH_STARTING = "match_starting";
    static final String MATCH_STATE = "match_state";
    static final String MATCH_FINISHED = "match_finished";

    final PlayerInfo player;
    /** The sign-in session whose access token opened this socket: revoking it closes the socket. */
    final UUID sessionId;
    final String connectionId = UUID.randomUUID().toString();
    final ServerWebSocket socket;
    final TokenBucket rate;
    /** What control frames and fragments may cost, besides whole messages' {@link #rate}. */
    final TokenBucket frames;
    /** Where this socket's fragments become messages; used on the socket's event loop only. */
    final MessageAssembler messages;
    /** Holds this socket's flushes while a match step's frames are written to it, and writes its text frames. */
    final SocketWrites writes;
    private final GameMeters meters;
    /** The live match this socket is playing, as last announced to it; null when none. */
    volatile UUID currentMatch;
    /** When a RATE_LIMITED error was last sent, so a flood does not get a flood of errors back. */
    long lastRateErrorAt;
    /** Frames refused in the current flood window, and when that window began. */
    int refusedInWindow;
    long floodWindowStart;
    /**
     * Being closed for what it sent (a flood, text that is not UTF-8, a message too big): whatever
     * it still sends is dropped without a word (or a log line).
     */
    boolean closing;
    volatile boolean replaced;
    /** This node sent the socket its close frame: nothing may follow it. */
    private volatile boolean closeSent;
    /** Closed because this node is draining: the player is moving to another node, not leaving. */
    volatile boolean movingOff;

    PlayerConnection(PlayerInfo player, UUID sessionId, ServerWebSocket socket, TokenBucket rate, TokenBucket frames,
                     MessageAssembler messages, SocketWrites writes, GameMeters meters) {
        this.player = player;
        this.sessionId = sessionId;
        this.socket = socket;
        this.rate = rate;
        this.frames = frames;
        this.messages = messages;
        this.writes = writes;
        this.meters = meters;
    }

    UUID userId() {
        return player.userId();
    }

    void send(ServerEvent event) {
        observe(event);
        sendUtf8(Wire.encodeBytes(event));
    }

    /**
     * Sends a frame a match encoded, keeping track of the match it announces. The sockets a delivery
     * goes to share the frame's bytes: a reveal is encoded once per match, not once per player.
     */
    void send(ServerFrame frame) {
        observe(frame.type(), frame.matchId());
        sendUtf8(frame.utf8());
    }

    /** Sends one text message, unless the socket is closed or closing (nothing may follow a close frame). */
    private void sendUtf8(byte[] utf8) {
        // Frames of at most the hard message limit, which HttpVerticle also gives Vert.x as its frame size.
        if (closeSent || socket.isClosed() || writes.writeText(utf8, messages.maxMessageBytes())) {
            return;
        }
        if (utf8.length > messages.maxMessageBytes()) {
            // Vert.x splits it into frames of at most that size.
            socket.writeTextMessage(new String(utf8, StandardCharsets.UTF_8));
        } else {
            socket.writeFrame(TextFrames.of(utf8));
        }
    }

    /** Sends the close frame ({@code code}, {@code reason}); the socket gets nothing after it. */
    void close(short code, String reason) {
        closeSent = true;
        socket.close(code, reason);
    }

    void sendError(String code, String message, String ref) {
        meters.frameRejected(code);
        send(new ServerEvent.Error(code, message, ref));
    }

    /** Keeps track of the match this socket is in from the events it is sent. */
    void observe(ServerEvent event) {
        if (event instanceof ServerEvent.MatchStarting || event instanceof ServerEvent.MatchState) {
            currentMatch = event.matchId();
        } else if (event instanceof ServerEvent.MatchFinished && event.matchId().equals(currentMatch)) {
            currentMatch = null;
        }
    }

    /** As {@link #observe(ServerEvent)}, from an encoded frame's wire type and match. */
    void observe(String type, UUID matchId) {
        if (MATCH_STARTING.equals(type) || MATCH_STATE.equals(type)) {
            currentMatch = matchId;
        } else if (MATCH_FINISHED.equals(type) && matchId.equals(currentMatch)) {
            currentMatch = null;
        }
    }
}
