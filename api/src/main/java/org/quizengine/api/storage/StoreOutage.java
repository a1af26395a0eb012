package org.quizengine.api.storage;

import io.vertx.core.VertxException;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Tells a store that could not be reached from one that answered: the failures the Vert.x
 * PostgreSQL and Redis clients report while a store is down, refuses connections, is cut off or
 * restarting. A request that fails so was not refused, it could not be served: the REST edge
 * answers it 503 and the login throttle does not count it. The failures, as the clients report them
 * (seen by cutting each store's connections in a test):
 *
 * <ul>
 *   <li>connection refused, reset or closed: a {@link SocketException} (a {@code ConnectException}
 *       among them) or another {@link IOException} about the connection, a
 *       {@link ClosedChannelException}, the SQL client's {@link ClosedConnectionException} or
 *       "Connection is not active now", Redis's {@code CONNECTION_CLOSED};</li>
 *   <li>no connection in time: the SQL pool's "Timeout waiting for connection", either pool's full
 *       wait queue, or a {@link TimeoutException} of a store call's own timeout;</li>
 *   <li>a server that is there but not serving: PostgreSQL's SQLSTATE class 08 (connection
 *       exception) and 57P01–57P03 (shutting down, starting up), Redis's {@code LOADING},
 *       {@code MASTERDOWN} and {@code CLUSTERDOWN};</li>
 *   <li>a {@link QuizException} SERVICE_UNAVAILABLE that a caller already made of one of these.</li>
 * </ul>
 */
public final class StoreOutage {
    private static final int MAX_CAUSES = 8;
    private static final List<String> CLIENT_MESSAGES = List.of("Timeout waiting for connection",
        "Connection is not active now", "Connection pool reached max wait queue size", "Connection reset",
        "Connection refused", "Broken pipe");
    private static final Set<String> REDIS_ERRORS = Set.of("CONNECTION_CLOSED", "LOADING", "MASTERDOWN", "CLUSTERDOWN");
    private static final Set<String> POSTGRES_NOT_SERVING = Set.of("57P01", "57P02", "57P03");

    private StoreOutage() {
    }

    /** Whether {@code failure} (or one of its causes) says a store could not be reached. */
    public static boolean isOutage(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
            if (isOutageItself(current)) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    private static boolean isOutageItself(Throwable failure) {
        if (failure instanceof QuizException quiz) {
            return quiz.code() == ErrorCode.SERVICE_UNAVAILABLE;
        }
        if (failure instanceof SocketException || failure instanceof ClosedChannelException
            || failure instanceof ClosedConnectionException || failure instanceof TimeoutException) {
            return true;
        }
        if (failure instanceof DatabaseException database) {
            String state = database.getSqlState();
            return state != null && (state.startsWith("08") || POSTGRES_NOT_SERVING.contains(state));
        }
        if (failure instanceof Response redis && redis.type() == ResponseType.ERROR) {
            String text = String.valueOf(redis);
            int space = text.indexOf(' ');
            return REDIS_ERRORS.contains(space < 0 ? text : text.substring(0, space));
        }
        return (failure instanceof VertxException || failure instanceof IOException) && fromTheClients(failure.getMessage());
    }

    private static boolean fromTheClients(String message) {
        return message != null && CLIENT_MESSAGES.stream().anyMatch(message::contains);
    }
}
