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
    private final HttpOptions http;
    private final GatewayOptions gateway;
    private final Router router;
    private final Consumer<Integer> boundPort;
    /** Each open connection's wait for its next request head (this verticle's event loop only). */
    private final Map<HttpConnection, Waiting> waitingFor = new HashMap<>();

    HttpVerticle(HttpOptions http, GatewayOptions gateway, Router router, Consumer<Integer> boundPort) {
        this.http = http;
        this.gateway = gateway;
        this.router = router;
        this.boundPort = boundPort;
    }

    @Override
    public Future<?> start() {
        int hardLimit = gateway.maxMessageBytes();
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
            .connectionHandler(this::opened)
            .requestHandler(request -> {
                Waiting waiting = waitingFor.get(request.connection());
                if (waiting != null) {
                    waiting.requestArrived();
                    // A response has one end handler: a route that set its own (RoutingContext's
                    // addEndHandler does) would replace this one. None does.
                    HttpServerResponse response = request.response();
                    response.endHandler(v -> waiting.responseEnded(response.getStatusCode()));
                }
                router.handle(request);
            });
        return server.listen().onSuccess(s -> boundPort.accept(s.actualPort()));
    }

    private void opened(HttpConnection connection) {
        Waiting waiting = new Waiting(connection);
        waitingFor.put(connection, waiting);
        connection.closeHandler(v -> {
            waitingFor.remove(connection);
            waiting.cancel();
        });
        waiting.arm(http.requestHeadTimeout());
    }

    /**
     * One connection's wait for a request head: it is closed unless a whole head arrives in time, so
     * a client that opens connections and never finishes a request (slowloris, half-open upgrades)
     * cannot hold them, and the node's open files, forever. Its first request has
     * {@code http.requestHeadSeconds}; once it has been answered, a kept-alive connection has
     * {@code http.keepAliveSeconds} for the next, longer than clients keep one idle, so a client
     * never sends on a connection closed under it. Nothing is timed while a request is in flight
     * (pipelined ones included), nor after a 101: the connection is a WebSocket from then on, with
     * limits of its own. Used on the connection's event loop only.
     */
    private final class Waiting {
        private final HttpConnection connection;
        private long timer = -1;
        private int inFlight;

        Waiting(HttpConnection connection) {
            this.connection = connection;
        }

        void requestArrived() {
            cancel();
            inFlight++;
        }

        void responseEnded(int status) {
            inFlight--;
            if (inFlight == 0 && status != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                arm(http.keepAlive());
            }
        }

        void arm(Duration timeout) {
            cancel();
            timer = vertx.setTimer(timeout.toMillis(), id -> {
                timer = -1;
                connection.close();
            });
        }

        void cancel() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
