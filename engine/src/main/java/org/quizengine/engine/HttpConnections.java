package org.quizengine.engine;

import io.vertx.core.http.HttpConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's open connections that are not WebSockets, across every {@link HttpVerticle}: counted
 * when one opens, uncounted when it closes or becomes a WebSocket. Vert.x tells neither the 101's
 * response nor the HTTP connection's close handler about a connection that became a WebSocket, so
 * the WebSocket gateway reports it ({@link #upgraded}).
 */
public final class HttpConnections {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    /** What each counted connection does when it becomes a WebSocket (run on its own event loop). */
    private final Map<HttpConnection, Runnable> onUpgrade = new ConcurrentHashMap<>();

    HttpConnections(int max) {
        this.max = max;
    }

    /** Counts a new connection unless {@code max} are open; whether it may stay. */
    boolean tryOpen(HttpConnection connection, Runnable whenUpgraded) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return false;
        }
        onUpgrade.put(connection, whenUpgraded);
        return true;
    }

    /** A counted connection closed, or became a WebSocket: it counts no more. Once per connection. */
    void closed(HttpConnection connection) {
        if (onUpgrade.remove(connection) != null) {
            open.decrementAndGet();
        }
    }

    /** The connection became a WebSocket: it counts no more, and its request timers stop. */
    public void upgraded(HttpConnection connection) {
        Runnable whenUpgraded = onUpgrade.get(connection);
        closed(connection);
        if (whenUpgraded != null) {
            whenUpgraded.run();
        }
    }

    /** Connections that are not WebSockets open now. */
    public int open() {
        return open.get();
    }
}
