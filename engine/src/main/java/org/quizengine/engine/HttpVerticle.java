package org.quizengine.engine;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.quizengine.engine.config.GatewayOptions;
import org.quizengine.engine.config.HttpOptions;

/** One HTTP server instance of the node (REST and WebSocket); the node runs one per core on the same port. */
final class HttpVerticle extends VerticleBase {
    /** WebSocket messages beyond this many times the frame limit are cut off by Netty (close 1009). */
    private static final int HARD_LIMIT_FACTOR = 16;
    /** How long a kept-alive connection may wait for its next request. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(75);

    private final HttpOptions http;
    private final GatewayOptions gateway;
    private final Router router;
    private final Consumer<Integer> boundPort;
    /**
     * Connections waiting for a request head, with the timer that closes them if none comes. Only
     * this verticle's event loop, which runs all of its connections, touches it.
     */
    private final Map<HttpConnection, Long> headTimers = new HashMap<>();

    HttpVerticle(HttpOptions http, GatewayOptions gateway, Router router, Consumer<Integer> boundPort) {
        this.http = http;
        this.gateway = gateway;
        this.router = router;
        this.boundPort = boundPort;
    }

    @Override
    public Future<?> start() {
        int hardLimit = gateway.maxFrameBytes() * HARD_LIMIT_FACTOR;
        HttpServerOptions options = new HttpServerOptions()
            .setHost(http.host())
            .setPort(http.port())
            .setMaxWebSocketFrameSize(hardLimit)
            .setMaxWebSocketMessageSize(hardLimit)
            .setPerMessageWebSocketCompressionSupported(gateway.compression())
            .setPerFrameWebSocketCompressionSupported(gateway.compression())
            .setCompressionSupported(true)
            // Without it the server waits for a connection's first bytes (to tell HTTP/2 from HTTP/1)
            // before the connection exists, and one that sends nothing could not be timed out.
            .setHttp2ClearTextEnabled(false);
        HttpServer server = vertx.createHttpServer(options)
            .connectionHandler(connection -> awaitRequestHead(connection, http.requestHeadTimeout()))
            .requestHandler(request -> {
                HttpConnection connection = request.connection();
                Long timer = headTimers.remove(connection);
                if (timer != null) {
                    vertx.cancelTimer(timer);
                }
                // A kept-alive connection may wait longer for its next request than clients keep one
                // idle (60 s for Vert.x's, nginx's upstreams), so the client closes first and never
                // sends on a connection closed under it. An upgraded one (101) is a WebSocket from
                // then on, and its frames have their own limits; a refused upgrade is not.
                HttpServerResponse response = request.response();
                response.endHandler(v -> {
                    if (response.getStatusCode() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                        awaitRequestHead(connection, KEEP_ALIVE);
                    }
                });
                router.handle(request);
            });
        return server.listen().onSuccess(s -> boundPort.accept(s.actualPort()));
    }

    /**
     * Closes {@code connection} unless a whole request head arrives within {@code timeout}: a client
     * that opens connections and never finishes a request (slowloris, half-open upgrades) would
     * otherwise hold them, and the node's open files, forever.
     */
    private void awaitRequestHead(HttpConnection connection, Duration timeout) {
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            if (headTimers.remove(connection, id)) {
                connection.close();
            }
        });
        Long previous = headTimers.put(connection, timer);
        if (previous == null) {
            connection.closeHandler(v -> {
                Long pending = headTimers.remove(connection);
                if (pending != null) {
                    vertx.cancelTimer(pending);
                }
            });
        } else {
            vertx.cancelTimer(previous);
        }
    }
}
