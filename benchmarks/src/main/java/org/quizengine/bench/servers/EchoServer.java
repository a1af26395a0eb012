package org.quizengine.bench.servers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.quizengine.bench.load.ProcessCpu;

/**
 * The ceiling for this machine: a bare Vert.x server (Java NIO, Vert.x's default event loops, one HTTP
 * server per core, as nodes were before 2026-12-03), that
 * writes every text frame on {@code /echo} straight back. No auth, no matches, no storage. It serves
 * the few metrics the harness reads ({@code GET /metrics}) in the node's own series names, so the
 * same sampler measures both.
 *
 * <p>Run as {@code EchoServer <port>}; it prints {@code listening on <port>} once bound.
 */
public final class EchoServer extends VerticleBase {
    static final String PATH = "/echo";
    private static final AtomicInteger CONNECTED = new AtomicInteger();

    private final int port;

    private EchoServer(int port) {
        this.port = port;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        vertx.deployVerticle(() -> new EchoServer(port), new DeploymentOptions().setInstances(instances))
            .onSuccess(id -> System.out.println("listening on " + port))
            .onFailure(e -> {
                System.err.println("echo server cannot listen on " + port + ": " + e);
                System.exit(1);
            });
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
            .webSocketHandshakeHandler(handshake -> {
                if (PATH.equals(handshake.path())) {
                    handshake.accept();
                } else {
                    handshake.reject(404);
                }
            })
            .webSocketHandler(this::echo)
            .requestHandler(this::metrics)
            .listen();
    }

    private void echo(ServerWebSocket socket) {
        CONNECTED.incrementAndGet();
        socket.closeHandler(v -> CONNECTED.decrementAndGet());
        socket.textMessageHandler(socket::writeTextMessage);
    }

    private void metrics(HttpServerRequest request) {
        if (!"/metrics".equals(request.path())) {
            request.response().setStatusCode(404).end();
            return;
        }
        String body = String.format(Locale.ROOT, "%s{node=\"echo\"} %.6f%n%s{area=\"heap\",node=\"echo\"} %d%n%s{node=\"echo\"} %d%n",
            ServerSampler.CPU, ProcessCpu.nanos() / 1e9,
            ServerSampler.HEAP, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
            ServerSampler.CONNECTED, CONNECTED.get());
        request.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(body);
    }
}
