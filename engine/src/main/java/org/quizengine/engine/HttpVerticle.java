package org.quizengine.engine;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.quizengine.api.storage.OncePerMinute;
import org.quizengine.engine.config.GatewayOptions;
import org.quizengine.engine.config.HttpOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One HTTP server instance of the node (REST and WebSocket); the node runs one per core on the same port. */
final class HttpVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

    private final HttpOptions http;
    private final GatewayOptions gateway;
    private final Router router;
    private final Consumer<Integer> boundPort;
    /** Connections that are not WebSockets, open on every instance of this verticle. */
    private final HttpConnections connections;
    /** Each open connection that is not a WebSocket, with its wait for its next request (this verticle's event loop only). */
    private final Map<HttpConnection, Waiting> waitingFor = new HashMap<>();
    private final OncePerMinute refusalWarnings = new OncePerMinute();

    HttpVerticle(HttpOptions http, GatewayOptions gateway, Router router, HttpConnections connections,
                 Consumer<Integer> boundPort) {
        this.http = http;
        this.gateway = gateway;
        this.router = router;
        this.connections = connections;
        this.boundPort = boundPort;
    }

    @Override
    public Future<?> start() {
        int hardLimit = gateway.maxMessageBytes();
        HttpServerOptions options = new HttpServerOptions()
            .setHost(http.host())
            // Port 0 asks for any free port: servers on -1 share one random port, as servers on a
            // fixed port share that port.
            .setPort(http.port() == 0 ? -1 : http.port())
            .setMaxWebSocketFrameSize(hardLimit)
            .setMaxWebSocketMessageSize(hardLimit)
            .setPerMessageWebSocketCompressionSupported(gateway.compression())
            .setPerFrameWebSocketCompressionSupported(gateway.compression())
            .setCompressionSupported(true)
            // Without it the server waits for a connection's first bytes (to tell HTTP/2 from HTTP/1)
            // before the connection exists, and one that sends nothing could not be timed out.
            .setHttp2ClearTextEnabled(false)
            // Every response is written on its connection's event loop: each route's answer comes from
            // a future bound to the request's context (the stores' clients, the event bus and the
            // outbox's backlog answer on the caller's), so Vert.x may write straight to the channel.
            // Otherwise each connection has a queue for writes from other threads (a 1,024-slot
            // array, 4.7 KB in all), kept for the life of a WebSocket, whose upgrade connection
            // Vert.x keeps: a fifth of a player's heap. A write from another thread would fail.
            .setStrictThreadMode(true);
        HttpServer server = vertx.createHttpServer(options)
            .connectionHandler(this::opened)
            .requestHandler(request -> {
                Waiting waiting = waitingFor.get(request.connection());
                if (waiting != null) {
                    waiting.requestArrived(request);
                    // A response has one end handler: a route that set its own (RoutingContext's
                    // addEndHandler does) would replace this one. None does.
                    HttpServerResponse response = request.response();
                    response.endHandler(v -> waiting.responseEnded(response.getStatusCode()));
                }
                router.handle(request);
            });
        return server.listen().onSuccess(s -> boundPort.accept(s.actualPort()));
    }

    /**
     * A new connection is timed from the start; beyond {@code http.maxNonWebSocketConnections} open
     * connections that are not WebSockets, it is closed at once: whoever opens connections faster
     * than they time out cannot take the node's open files (20,000 here) from its players, whose
     * WebSockets do not count.
     */
    private void opened(HttpConnection connection) {
        Waiting waiting = new Waiting(connection);
        Context loop = vertx.getOrCreateContext();
        if (!connections.tryOpen(connection, () -> loop.runOnContext(v -> forget(connection)))) {
            if (refusalWarnings.due()) {
                LOG.warn("Closing new connections: {} connections that are not WebSockets are open "
                    + "(http.maxNonWebSocketConnections; logged once a minute)", http.maxNonWebSocketConnections());
            }
            connection.close();
            return;
        }
        waitingFor.put(connection, waiting);
        connection.closeHandler(v -> {
            connections.closed(connection);
            forget(connection);
        });
        waiting.arm(http.requestHeadTimeout());
    }

    /** The connection closed or became a WebSocket: nothing of it is timed any more. */
    private void forget(HttpConnection connection) {
        Waiting waiting = waitingFor.remove(connection);
        if (waiting != null) {
            waiting.cancel();
        }
    }

    /**
     * One connection's wait for a request: it is closed unless a whole head arrives in time, and a
     * whole body after it, so a client that opens connections and never finishes a request
     * (slowloris, half-open upgrades, a body announced and never sent) cannot hold them, and the
     * node's open files, forever. Its first request has {@code http.requestHeadSeconds} for its head;
     * once it has been answered, a kept-alive connection has {@code http.keepAliveSeconds} for the
     * next, longer than clients keep one idle, so a client never sends on a connection closed under
     * it. A request's body has {@code http.requestBodySeconds} from its head. Heads are not timed
     * while a request is in flight (pipelined ones included), nor is anything after a 101: the
     * connection is a WebSocket from then on, with limits of its own. Used on the connection's event
     * loop only.
     */
    private final class Waiting {
        private final HttpConnection connection;
        private long timer = -1;
        private long bodyTimer = -1;
        private int inFlight;

        Waiting(HttpConnection connection) {
            this.connection = connection;
        }

        void requestArrived(HttpServerRequest request) {
            cancelHead();
            inFlight++;
            if (!request.isEnded()) {
                // One body is read at a time, so a pipelined request's timer replaces an ended one's.
                cancelBody();
                bodyTimer = vertx.setTimer(http.requestBodyTimeout().toMillis(), id -> {
                    bodyTimer = -1;
                    if (!request.isEnded()) {
                        connection.close();
                    }
                });
            }
        }

        void responseEnded(int status) {
            inFlight--;
            if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                connections.upgraded(connection);
            } else if (inFlight == 0) {
                arm(http.keepAlive());
            }
        }

        void arm(Duration timeout) {
            cancelHead();
            timer = vertx.setTimer(timeout.toMillis(), id -> {
                timer = -1;
                connection.close();
            });
        }

        /** The connection closed: nothing more to time. */
        void cancel() {
            cancelHead();
            cancelBody();
        }

        private void cancelHead() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        private void cancelBody() {
            if (bodyTimer >= 0) {
                vertx.cancelTimer(bodyTimer);
                bodyTimer = -1;
            }
        }
    }
}
