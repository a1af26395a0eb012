package org.quizengine.engine.local;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A store (PostgreSQL, Redis) as the nodes see it: a TCP forwarder on a fixed loopback port.
 * For tests and benchmark runs that take a store away the way an outage would.
 * {@link #stop()} makes the store unreachable at once (listener closed and every open connection
 * cut, as an outage or a network partition would); {@link #start()} listens on the same port again.
 */
public final class TcpProxy {
    private final Vertx vertx;
    private final URI target;
    private final int port;
    private final NetClient client;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private volatile NetServer server;

    /** A proxy to the server of {@code target} (a {@code postgresql://} or {@code redis://} URI), listening on {@code port}. */
    public TcpProxy(Vertx vertx, URI target, int port) {
        this.vertx = vertx;
        this.target = target;
        this.port = port;
        this.client = vertx.createNetClient();
    }

    /** The target URI with this proxy in place of the server. */
    public String uri() {
        return target.getScheme() + "://" + (target.getUserInfo() == null ? "" : target.getUserInfo() + "@")
            + "127.0.0.1:" + port + (target.getPath() == null ? "" : target.getPath());
    }

    public boolean up() {
        return server != null;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        NetServer listening = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(port)
            .setReuseAddress(true));
        listening.connectHandler(in -> forward(listening, in));
        server = await(listening.listen());
    }

    public synchronized void stop() {
        NetServer listening = server;
        if (listening == null) {
            return;
        }
        server = null;
        await(listening.close());
        List<Future<Void>> closing = open.stream().map(NetSocket::close).toList();
        await(Future.join(closing));
        open.clear();
    }

    private void forward(NetServer acceptedBy, NetSocket in) {
        in.pause();
        open.add(in);
        in.closeHandler(v -> open.remove(in));
        client.connect(target.getPort(), target.getHost()).onComplete(connected -> {
            if (connected.failed()) {
                in.close();
                return;
            }
            NetSocket out = connected.result();
            open.add(out);
            out.closeHandler(v -> {
                open.remove(out);
                in.close();
            });
            in.closeHandler(v -> {
                open.remove(in);
                out.close();
            });
            if (server != acceptedBy || !open.contains(in)) {
                // Stopped (or the client went) while connecting.
                in.close();
                out.close();
                return;
            }
            out.pipeTo(in);
            in.pipeTo(out);
        });
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the proxy did not answer in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
