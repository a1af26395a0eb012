package org.quizengine.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.redis.client.impl.types.ErrorType;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * The failures the PostgreSQL and Redis clients reported when a test cut their connections (a TCP
 * proxy stopped before and during a query, a server that accepts and never answers, one that
 * accepts and closes) are outages; answers from a store that is up are not.
 */
class StoreOutageTest {
    @Test
    void whatTheClientsReportWhileAStoreIsDownIsAnOutage() {
        assertThat(StoreOutage.isOutage(new VertxException("wrapped", new ConnectException("Connection refused")))).isTrue();
        assertThat(StoreOutage.isOutage(new SocketException("Connection reset"))).isTrue();
        assertThat(StoreOutage.isOutage(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(StoreOutage.isOutage(new VertxException("Connection is not active now, current status: CLOSED"))).isTrue();
        assertThat(StoreOutage.isOutage(new VertxException("Timeout waiting for connection"))).isTrue();
        assertThat(StoreOutage.isOutage(ErrorType.create("CONNECTION_CLOSED"))).isTrue();
        assertThat(StoreOutage.isOutage(ErrorType.create("LOADING Redis is loading the dataset in memory"))).isTrue();
        assertThat(StoreOutage.isOutage(new NoStackTraceTimeoutException("Timeout 1000 (ms) fired"))).isTrue();
        assertThat(StoreOutage.isOutage(new PgException("the database system is starting up", "FATAL", "57P03", null))).isTrue();
        assertThat(StoreOutage.isOutage(new QuizException(ErrorCode.SERVICE_UNAVAILABLE, "Sessions cannot be checked"))).isTrue();
    }

    @Test
    void anAnswerFromAStoreThatIsUpIsNot() {
        assertThat(StoreOutage.isOutage(new PgException("syntax error at or near \"SELEC\"", "ERROR", "42601", null))).isFalse();
        assertThat(StoreOutage.isOutage(new PgException("duplicate key value", "ERROR", "23505", null))).isFalse();
        assertThat(StoreOutage.isOutage(ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value"))).isFalse();
        assertThat(StoreOutage.isOutage(new QuizException(ErrorCode.INVALID_CREDENTIALS, "The login or password is wrong."))).isFalse();
        assertThat(StoreOutage.isOutage(new IllegalStateException("a bug"))).isFalse();
        assertThat(StoreOutage.isOutage(null)).isFalse();
    }
}
