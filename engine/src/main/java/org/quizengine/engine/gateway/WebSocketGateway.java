package org.quizengine.engine.gateway;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.quizengine.api.auth.AuthenticatedUser;
import org.quizengine.api.http.Problems;
import org.quizengine.engine.cluster.ClusterView;
import org.quizengine.engine.config.GatewayOptions;
import org.quizengine.engine.match.ActivePlayers;
import org.quizengine.engine.metrics.GameMeters;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.Wire;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.bus.SessionsRevoked;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.matchmaking.MatchmakingCommand;
import org.quizengine.shared.protocol.ClientMessage;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The players' WebSocket endpoint on this node. It authenticates the upgrade, turns frames into
 * event-bus requests to the matchmaker or to a match, and writes back what they reply. Events for
 * this node's players arrive on one node-wide address and are fanned out to the sockets here, so
 * no consumer is registered per socket.
 */
public final class WebSocketGateway {
    public static final int PROTOCOL_VERSION = 1;
    public static final String PATH = "/ws";
    static final short CLOSE_REPLACED = 4000;
    /** The socket's session was revoked (logout, password change, disabled account): sign in again. */
    static final short CLOSE_SESSION_ENDED = 4001;
    static final short CLOSE_POLICY = 1008;
    static final short CLOSE_RESTART = 1012;
    /** RFC 6455: a text message that is not UTF-8. */
    static final short CLOSE_NOT_UTF8 = 1007;
    /** RFC 6455: a message too big to process. */
    static final short CLOSE_TOO_BIG = 1009;
    static final long FLOOD_WINDOW_MILLIS = 10_000;
    /** Control frames and fragments a socket may send per whole message of its rate: a fragmented message or a keep-alive ping costs little. */
    static final int FRAMES_PER_MESSAGE = 4;
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketGateway.class);

    private final Vertx vertx;
    private final String nodeId;
    private final GatewayOptions options;
    private final TokenVerifier tokens;
    private final ActivePlayers activePlayers;
    private final GameMeters meters;
    private volatile boolean refusingSockets;
    /** Told of each connection that became a WebSocket here (the node's count of HTTP connections). */
    private final Consumer<HttpConnection> upgraded;
    private final LongSupplier clock;
    /** Sockets whose flushes wait for the rest of a match step's deliveries; used on the gateway's context. */
    private final List<PlayerConnection> held = new ArrayList<>();
    private boolean releaseQueued;
    private final DeliveryOptions requestOptions = new DeliveryOptions().setSendTimeout(MatchRequests.REQUEST_TIMEOUT_MILLIS);
    private final Map<UUID, PlayerConnection> connections = new ConcurrentHashMap<>();
    /** Requests to matches, carried to a match's new owner when its node dies (see {@link MatchRequests}). */
    private final MatchRequests matches;
    /** Whether text messages go to sockets' channels directly ({@link SocketWrites}). */
    private final boolean directWrites;

    public WebSocketGateway(Vertx vertx, String nodeId, GatewayOptions options, TokenVerifier tokens,
                            ActivePlayers activePlayers, ClusterView cluster, MatchesHere matchesHere,
                            Function<UUID, Future<String>> recordOwner,
                            GameMeters meters, LongSupplier clock, Consumer<HttpConnection> upgraded) {
        this.vertx = vertx;
        this.upgraded = upgraded;
        this.nodeId = nodeId;
        this.options = options;
        this.tokens = tokens;
        this.activePlayers = activePlayers;
        this.meters = meters;
        this.clock = clock;
        this.matches = new MatchRequests(vertx, cluster, matchesHere, recordOwner);
        this.directWrites = !options.compression() && oneEventLoop(vertx);
    }

    /** Whether Vert.x runs one event loop: then every context that writes to a socket runs on the socket's loop. */
    private static boolean oneEventLoop(Vertx vertx) {
        int loops = 0;
        for (EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
            loops++;
        }
        return loops == 1;
    }

    /** Starts taking events for this node's players, and news of revoked sessions from any node. */
    public Future<Void> start() {
        matches.start(vertx.getOrCreateContext());
        return vertx.eventBus().<Delivery>consumer(Addresses.nodeDeliveries(nodeId), this::onDelivery).completion()
            .compose(v -> vertx.eventBus().<String>consumer(Addresses.SESSIONS_REVOKED, this::onSessionsRevoked).completion());
    }

    /**
     * From now on, upgrades are refused with 503 (this node is going away): a player sent elsewhere
     * must not land here again, as a load balancer counting connections would send them.
     */
    public void refuseNewSockets() {
        refusingSockets = true;
    }

    /** Tells every socket here to connect again elsewhere, then closes it (1012: service restart); takes no new ones. */
    public Future<Void> disconnectAll(String reason) {
        refuseNewSockets();
        for (PlayerConnection connection : connections.values()) {
            connection.movingOff = true;
            // Out of any queue or lobby, as for any close but a replacement: sent before the socket
            // closes, so that it normally reaches the matchmaker before the player, reconnecting
            // elsewhere, can queue again.
            vertx.eventBus().send(Addresses.MATCHMAKING, new MatchmakingCommand.PlayerGone(connection.userId()));
            connection.send(new ServerEvent.Reconnect(reason));
            connection.close(CLOSE_RESTART, reason);
        }
        return Future.succeededFuture();
    }

    public int connectedPlayers() {
        return connections.size();
    }

    /**
     * Handles {@code GET /ws}. The access token comes from the {@code access_token} query parameter
     * (browsers cannot set headers on a WebSocket) or an {@code Authorization: Bearer} header.
     */
    public void handleUpgrade(RoutingContext ctx) {
        if (refusingSockets) {
            Problems.send(ctx, ErrorCode.SERVICE_UNAVAILABLE, "This node is shutting down; connect again to carry on.");
            return;
        }
        String token = tokenOf(ctx.request());
        if (token == null) {
            Problems.send(ctx, ErrorCode.UNAUTHORIZED,
                "Pass an access token as the access_token query parameter or an Authorization: Bearer header.");
            return;
        }
        ctx.request().pause();
        tokens.verify(token).onComplete(verified -> {
            if (verified.failed()) {
                ctx.request().resume();
                Throwable e = verified.cause();
                Problems.send(ctx, e instanceof QuizException q ? q.code() : ErrorCode.UNAUTHORIZED,
                    e instanceof QuizException ? e.getMessage() : "The access token was refused.");
                return;
            }
            HttpConnection http = ctx.request().connection();
            ctx.request().toWebSocket()
                .onSuccess(socket -> {
                    // A WebSocket from now on, with limits of its own: no longer one of the node's HTTP connections.
                    upgraded.accept(http);
                    PlayerConnection connection = open(socket, verified.result(), SocketWrites.install(http, directWrites));
                    recheck(connection, token);
                    // Vert.x keeps the upgrade's request and response as long as the socket; without
                    // these handlers they no longer hold the router's context and what it parsed, and
                    // their headers (read by nothing once the handshake is done) go too.
                    ctx.response().headersEndHandler(null).endHandler(null).headers().clear();
                    socket.headers().clear();
                })
                .onFailure(e -> LOG.debug("WebSocket upgrade failed", e));
        });
    }

    /**
     * Checks the token once more now that the socket is registered: a session revoked between the
     * first check and the registration had its news published before this socket could hear it,
     * but its revocation mark was written before that news, so this check sees it.
     */
    private void recheck(PlayerConnection connection, String token) {
        tokens.verify(token).onFailure(e -> {
            if (e instanceof QuizException quiz
                && (quiz.code() == ErrorCode.SESSION_REVOKED || quiz.code() == ErrorCode.ACCOUNT_DISABLED)) {
                endSession(connection, quiz.code().name(), quiz.getMessage());
            }
        });
    }

    private void onSessionsRevoked(Message<String> message) {
        SessionsRevoked revoked;
        try {
            revoked = Wire.decode(message.body(), SessionsRevoked.class);
        } catch (RuntimeException e) {
            LOG.warn("Ignoring an unreadable sessions-revoked message", e);
            return;
        }
        Set<UUID> ended = Set.copyOf(revoked.sessionIds());
        for (PlayerConnection connection : connections.values()) {
            if (ended.contains(connection.sessionId)) {
                endSession(connection, revoked.code(), revoked.reason());
            }
        }
    }

    /** Tells the player why, then closes with 4001; the player leaves their match as after any drop. */
    private static void endSession(PlayerConnection connection, String code, String reason) {
        if (connection.socket.isClosed()) {
            return;
        }
        LOG.atInfo().addKeyValue("user", connection.userId())
            .log("Closing the socket of {}: its session ended ({})", connection.userId(), code);
        connection.sendError(code, reason, null);
        connection.close(CLOSE_SESSION_ENDED, ErrorCode.ACCOUNT_DISABLED.name().equals(code)
            ? "account disabled" : "session ended");
    }

    private static String tokenOf(HttpServerRequest request) {
        String query = queryToken(request.uri());
        if (query != null && !query.isBlank()) {
            return query.trim();
        }
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        return null;
    }

    /**
     * The {@code access_token} query parameter, its name in any case as Vert.x's own parameters.
     * Decoded apart from the request, which would keep the parsed parameters (the token again) for
     * as long as the socket is open.
     */
    private static String queryToken(String uri) {
        try {
            for (Map.Entry<String, List<String>> parameter : new QueryStringDecoder(uri).parameters().entrySet()) {
                if (parameter.getKey().equalsIgnoreCase("access_token")) {
                    return parameter.getValue().get(0);
                }
            }
        } catch (IllegalArgumentException e) {
            // a broken %-escape: no token can be read from the query
        }
        return null;
    }

    private PlayerConnection open(ServerWebSocket socket, AuthenticatedUser user, SocketWrites writes) {
        long now = clock.getAsLong();
        PlayerInfo player = new PlayerInfo(user.userId(), user.username());
        PlayerConnection connection = new PlayerConnection(player, user.sessionId(), socket,
            new TokenBucket(options.messagesPerSecond(), options.burst(), now),
            new TokenBucket(FRAMES_PER_MESSAGE * options.messagesPerSecond(), FRAMES_PER_MESSAGE * options.burst(), now),
            new MessageAssembler(options.maxFrameBytes(), options.maxMessageBytes()), writes, meters);
        PlayerConnection previous = connections.put(player.userId(), connection);
        if (previous != null) {
            previous.replaced = true;
            previous.sendError(ErrorCode.SESSION_REPLACED.name(), "You connected again elsewhere; this connection is closed.", null);
            previous.close(CLOSE_REPLACED, "replaced");
        }
        socket.frameHandler(frame -> onFrame(connection, frame));
        socket.closeHandler(v -> onClose(connection));
        socket.exceptionHandler(e -> {
            if (e instanceof CorruptedWebSocketFrameException corrupted) {
                // Netty refused a frame (over the hard limit: 1009; a broken frame or fragment order: 1002)
                // and says so only here; without a close frame the client would only see the connection drop.
                short code = (short) corrupted.closeStatus().code();
                closeFor(connection, code, code == CLOSE_TOO_BIG ? "message too big" : "protocol error",
                    "it sent a frame the WebSocket protocol refuses (" + e.getMessage() + ")");
                return;
            }
            LOG.debug("Socket of {} failed", player.userId(), e);
        });
        connection.send(new ServerEvent.Welcome(PROTOCOL_VERSION, player.userId(), player.username(), now));
        resume(connection, null);
        return connection;
    }

    /**
     * Reassembles the socket's messages. Text that is not UTF-8, or a message over the hard limit,
     * closes the socket (RFC 6455); every whole message, text or binary, takes a rate token, and
     * every other frame (a control frame, a fragment) one of the socket's frame budget, so a stream of
     * pings or empty fragments is a flood like any other.
     */
    private void onFrame(PlayerConnection connection, WebSocketFrame frame) {
        if (connection.closing) {
            return;
        }
        MessageAssembler.Message message = connection.messages.accept(frame);
        switch (message.kind()) {
            case PARTIAL -> {
                long now = clock.getAsLong();
                if (!connection.frames.tryTake(now)) {
                    refuseFlood(connection, now);
                }
            }
            case TEXT -> {
                if (admit(connection)) {
                    onText(connection, message.text());
                }
            }
            case TEXT_TOO_LARGE -> {
                if (admit(connection)) {
                    connection.sendError(ErrorCode.FRAME_TOO_LARGE.name(),
                        "Frames may be at most " + options.maxFrameBytes() + " bytes.", null);
                }
            }
            case BINARY -> {
                if (admit(connection)) {
                    connection.sendError(ErrorCode.INVALID_MESSAGE.name(), "Binary frames are not supported; send JSON text frames.", null);
                }
            }
            case NOT_UTF8 -> closeFor(connection, CLOSE_NOT_UTF8, "not UTF-8", "it sent a text message that is not UTF-8");
            case TOO_BIG -> closeFor(connection, CLOSE_TOO_BIG, "message too big",
                "it sent a message over " + options.maxMessageBytes() + " bytes");
            default -> throw new IllegalStateException("Unknown message kind " + message.kind());
        }
    }

    /** The per-socket rate limit, applied to every message whatever its kind. */
    private boolean admit(PlayerConnection connection) {
        long now = clock.getAsLong();
        if (!connection.rate.tryTake(now)) {
            refuseFlood(connection, now);
            return false;
        }
        return true;
    }

    private void onText(PlayerConnection connection, String text) {
        long now = clock.getAsLong();
        ClientMessage message;
        try {
            message = FrameParser.parse(text);
        } catch (QuizException e) {
            connection.sendError(e.code().name(), e.getMessage(), null);
            return;
        }
        try {
            dispatch(connection, message, now);
        } catch (QuizException e) {
            connection.sendError(e.code().name(), e.getMessage(), message.typeName());
        }
    }

    /**
     * Closes a socket for what its client sent, with one log line: the frames still in flight
     * after the close are dropped without a word.
     */
    private static void closeFor(PlayerConnection connection, short code, String reason, String why) {
        if (connection.closing) {
            return;
        }
        connection.closing = true;
        LOG.atWarn().addKeyValue("user", connection.userId()).log("Closing the socket of {}: {}", connection.userId(), why);
        connection.close(code, reason);
    }

    private void refuseFlood(PlayerConnection connection, long now) {
        if (now - connection.floodWindowStart >= FLOOD_WINDOW_MILLIS) {
            connection.floodWindowStart = now;
            connection.refusedInWindow = 0;
        }
        // Limited frames are dropped; a socket that keeps flooding through the limit is closed.
        if (++connection.refusedInWindow > 10 * options.burst()) {
            closeFor(connection, CLOSE_POLICY, "flood", "it kept flooding");
            return;
        }
        if (now - connection.lastRateErrorAt >= 1000) {
            connection.lastRateErrorAt = now;
            connection.sendError(ErrorCode.RATE_LIMITED.name(),
                "Too many frames: at most " + options.messagesPerSecond() + " per second. Frames over the limit are dropped.",
                null);
        }
    }

    private void dispatch(PlayerConnection connection, ClientMessage message, long now) {
        PlayerInfo player = connection.player;
        String ref = message.typeName();
        if (message instanceof ClientMessage.Ping ping) {
            connection.send(new ServerEvent.Pong(ping.clientTime(), now));
        } else if (message instanceof ClientMessage.QuickMatch quick) {
            requireNoMatch(connection);
            askMatchmaker(connection, new MatchmakingCommand.JoinQueue(player, nodeId, quick.category(), quick.size()), ref);
        } else if (message instanceof ClientMessage.CancelQueue) {
            askMatchmaker(connection, new MatchmakingCommand.LeaveQueue(player.userId()), ref);
        } else if (message instanceof ClientMessage.CreateLobby create) {
            requireNoMatch(connection);
            askMatchmaker(connection, new MatchmakingCommand.CreateLobby(player, nodeId, create.category(),
                create.maxPlayers(), create.questionCount(), create.secondsPerQuestion()), ref);
        } else if (message instanceof ClientMessage.JoinLobby join) {
            requireNoMatch(connection);
            if (join.code() == null || join.code().isBlank()) {
                throw new QuizException(ErrorCode.INVALID_MESSAGE, "join_lobby needs a \"code\".");
            }
            askMatchmaker(connection, new MatchmakingCommand.JoinLobby(player, nodeId, join.code()), ref);
        } else if (message instanceof ClientMessage.LeaveLobby) {
            askMatchmaker(connection, new MatchmakingCommand.LeaveLobby(player.userId()), ref);
        } else if (message instanceof ClientMessage.StartLobby) {
            askMatchmaker(connection, new MatchmakingCommand.StartLobby(player.userId()), ref);
        } else if (message instanceof ClientMessage.Answer answer) {
            submitAnswer(connection, answer, ref);
        } else if (message instanceof ClientMessage.Resume) {
            resume(connection, ref);
        } else if (message instanceof ClientMessage.LeaveMatch) {
            leaveMatch(connection, ref);
        }
    }

    /**
     * A quick refusal for a socket that knows its own match. It is not the rule: a player's other
     * socket, or a match still starting, is unknown here, so the matchmaker checks every request
     * against the cluster's live-match claims as well.
     */
    private void requireNoMatch(PlayerConnection connection) {
        if (connection.currentMatch != null) {
            throw new QuizException(ErrorCode.ALREADY_IN_MATCH, "You are already playing a match.");
        }
    }

    private void submitAnswer(PlayerConnection connection, ClientMessage.Answer answer, String ref) {
        if (answer.index() == null || answer.option() == null) {
            throw new QuizException(ErrorCode.INVALID_MESSAGE, "answer needs \"index\" and \"option\".");
        }
        UUID matchId = answer.matchId() != null ? answer.matchId() : connection.currentMatch;
        if (matchId == null) {
            throw new QuizException(ErrorCode.NOT_IN_MATCH, "You are not playing a match.");
        }
        long startedNanos = System.nanoTime();
        askMatch(connection, matchId, new MatchCommand.SubmitAnswer(connection.userId(), answer.index(), answer.option()), ref)
            .onSuccess(reply -> connection.send(reply))
            .onComplete(done -> meters.answerAcknowledged(startedNanos, done.succeeded()));
    }

    private void leaveMatch(PlayerConnection connection, String ref) {
        UUID matchId = connection.currentMatch;
        if (matchId == null) {
            throw new QuizException(ErrorCode.NOT_IN_MATCH, "You are not playing a match.");
        }
        askMatch(connection, matchId, new MatchCommand.Leave(connection.userId()), ref).onSuccess(reply -> {
            connection.currentMatch = null;
            connection.send(new ServerEvent.NoMatch());
        });
    }

    /** Puts a (re)connecting player back into their live match, or tells them they have none. */
    private void resume(PlayerConnection connection, String ref) {
        UUID knownBefore = connection.currentMatch;
        activePlayers.matchOf(connection.userId())
            .onFailure(e -> connection.sendError(ErrorCode.SERVICE_UNAVAILABLE.name(), "Could not look up your match.", ref))
            .onSuccess(matchId -> {
                if (matchId == null) {
                    noMatch(connection, knownBefore);
                    return;
                }
                // Across a failover this waits for the match's new owner: no_match only once the match is over.
                matches.ask(matchId, new MatchCommand.Attach(connection.userId(), nodeId, connection.connectionId))
                    .onSuccess(connection::send)
                    .onFailure(e -> {
                        if (isGone(e)) {
                            noMatch(connection, knownBefore);
                        } else {
                            refuse(connection, e, ErrorCode.MATCH_NOT_FOUND, "No such live match.", ref);
                        }
                    });
            });
    }

    /**
     * Tells the socket it has no match. The match it knew of when it asked (if any) is over for it:
     * a socket whose {@code match_finished} was lost (its node frozen, its match moved) would
     * otherwise be refused {@code ALREADY_IN_MATCH} by this node for good. A match announced to it
     * since it asked is left alone.
     */
    private static void noMatch(PlayerConnection connection, UUID knownWhenAsked) {
        if (Objects.equals(connection.currentMatch, knownWhenAsked)) {
            connection.currentMatch = null;
        }
        connection.send(new ServerEvent.NoMatch());
    }

    /** The match is over, or the player is no longer in it: there is nothing to resume. */
    private static boolean isGone(Throwable failure) {
        if (!(failure instanceof ReplyException reply)) {
            return false;
        }
        if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
            return true;
        }
        ErrorCode code = ErrorCode.fromBusCode(reply.failureCode());
        return reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
            && (code == ErrorCode.NOT_IN_MATCH || code == ErrorCode.MATCH_FINISHED);
    }

    private Future<ServerFrame> askMatch(PlayerConnection connection, UUID matchId, MatchCommand command, String ref) {
        return matches.ask(matchId, command)
            .onFailure(e -> refuse(connection, e, ErrorCode.MATCH_NOT_FOUND, "No such live match.", ref));
    }

    private void askMatchmaker(PlayerConnection connection, MatchmakingCommand command, String ref) {
        vertx.eventBus().<ServerEvent>request(Addresses.MATCHMAKING, command, requestOptions)
            .onSuccess(reply -> {
                if (reply.body() != null) {
                    connection.send(reply.body());
                }
            })
            .onFailure(e -> refuse(connection, e, ErrorCode.SERVICE_UNAVAILABLE, "Matchmaking is unavailable.", ref));
    }

    private static void refuse(PlayerConnection connection, Throwable failure, ErrorCode noHandler, String noHandlerMessage,
                               String ref) {
        if (failure instanceof ReplyException reply) {
            if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                connection.sendError(ErrorCode.fromBusCode(reply.failureCode()).name(), reply.getMessage(), ref);
                return;
            }
            if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
                connection.sendError(noHandler.name(), noHandlerMessage, ref);
                return;
            }
        }
        LOG.warn("A {} request failed", ref, failure);
        connection.sendError(ErrorCode.SERVICE_UNAVAILABLE.name(), "The server did not answer in time; try again.", ref);
    }

    private void onClose(PlayerConnection connection) {
        connections.remove(connection.userId(), connection);
        if (connection.replaced) {
            return; // the newer connection has taken over the player's match, queue and lobby
        }
        if (connection.movingOff) {
            // Not a departure from the match: the player reconnects elsewhere. If they do not, the
            // match marks them away (with grace) when this node leaves the cluster. Their queue or
            // lobby place went when they were told to reconnect.
            return;
        }
        UUID matchId = connection.currentMatch;
        if (matchId != null) {
            // Asked, not just sent, so that a detach sent while the match changes owner reaches the new one.
            matches.ask(matchId, new MatchCommand.Detach(connection.userId(), connection.connectionId))
                .onFailure(e -> LOG.debug("Match {} did not take the detach of {}: {}", matchId, connection.userId(), e.getMessage()));
        }
        vertx.eventBus().send(Addresses.MATCHMAKING, new MatchmakingCommand.PlayerGone(connection.userId()));
    }

    /**
     * A match was formed for a player whose socket closed meanwhile: tell the match, so the seat
     * gets the reconnect grace instead of counting as connected.
     */
    private void reportAbsent(UUID userId, ServerFrame frame) {
        if (PlayerConnection.MATCH_STARTING.equals(frame.type())) {
            vertx.eventBus().send(Addresses.match(frame.matchId()), new MatchCommand.Detach(userId, null));
        }
    }

    private void onDelivery(Message<Delivery> message) {
        Delivery delivery = message.body();
        ServerFrame frame = delivery.frame();
        try {
            // Encoded once, by the match, for every socket on every node.
            for (UUID recipient : delivery.recipients()) {
                PlayerConnection connection = connections.get(recipient);
                if (connection == null) {
                    reportAbsent(recipient, frame);
                    continue;
                }
                if (delivery.moreFollow() && connection.writes.hold()) {
                    held.add(connection);
                }
                connection.send(frame);
            }
        } finally {
            if (!delivery.moreFollow()) {
                releaseHeld();
            } else if (!releaseQueued) {
                // Should the step's last delivery not come next, the sockets are released once the
                // deliveries already waiting have been handled.
                releaseQueued = true;
                vertx.runOnContext(v -> releaseHeld());
            }
        }
    }

    /** The step's frames are written: the sockets held for them are flushed, each once. */
    private void releaseHeld() {
        releaseQueued = false;
        try {
            for (PlayerConnection connection : held) {
                connection.writes.release();
            }
        } finally {
            held.clear();
        }
    }
}
