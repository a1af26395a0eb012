package org.quizengine.engine;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;
import org.quizengine.engine.config.GatewayOptions;
import org.quizengine.engine.config.HttpOptions;

/** One HTTP server instance of the node (REST and WebSocket); the node runs one per core on the same port. */
final class HttpVerticle extends VerticleBase {
    /** WebSocket messages beyond this many times the frame limit are cut off by Netty (close 1009). */
    private static final int HARD_LIMIT_FACTOR = 16;

    private final HttpOptions http;
    private final GatewayOptions gateway;
    private final Router router;
    private final Consumer<Integer> boundPort;

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
            .setCompressionSupported(true);
        HttpServer server = vertx.createHttpServer(options).requestHandler(router);
        return server.listen().onSuccess(s -> boundPort.accept(s.actualPort()));
    }
}
