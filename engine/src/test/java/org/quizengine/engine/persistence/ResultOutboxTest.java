package org.quizengine.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.TestPlayer;
import org.quizengine.shared.Wire;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;

/**
 * The outbox keeps a finished result until every store has taken it: a store that is down is
 * retried until it is back, and a result spooled by a node that stopped is written by the next.
 */
class ResultOutboxTest {
    private Vertx vertx;
    private Path spool;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        spool = Files.createTempDirectory("quiz-outbox");
    }

    @AfterEach
    void tearDown() {
        TestPlayer.await(vertx.close());
    }

    private static MatchResult result() {
        return new MatchResult(UUID.randomUUID(), MatchKind.QUICK, null, 1_000, 2_000, List.of(), List.of());
    }

    /** A store that refuses the first {@code failures} writes, then keeps what it is given. */
    private static final class FlakyStore implements Function<MatchResult, Future<Boolean>> {
        final AtomicInteger calls = new AtomicInteger();
        final Map<UUID, MatchResult> kept = new ConcurrentHashMap<>();
        final int failures;

        FlakyStore(int failures) {
            this.failures = failures;
        }

        @Override
        public Future<Boolean> apply(MatchResult result) {
            if (calls.incrementAndGet() <= failures) {
                return Future.failedFuture("connection refused");
            }
            return Future.succeededFuture(kept.put(result.matchId(), result) == null);
        }
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aStoreThatIsDownIsRetriedUntilTheResultLandsAndOnlyThenIsTheSpoolCleared() throws Exception {
        FlakyStore postgres = new FlakyStore(0);
        FlakyStore redis = new FlakyStore(2);
        ResultOutbox outbox = new ResultOutbox(vertx, spool.toString(), List.of(postgres, redis));
        TestPlayer.await(outbox.resumePending());
        MatchResult result = result();

        TestPlayer.await(outbox.submit(result));
        eventually(() -> outbox.written() == 1);

        assertThat(redis.calls.get()).as("two refusals, then the write").isEqualTo(3);
        assertThat(redis.kept).containsKey(result.matchId());
        assertThat(postgres.kept).containsKey(result.matchId());
        assertThat(postgres.calls.get()).as("each retry replays every store: they must be idempotent").isEqualTo(3);
        try (var files = Files.list(spool)) {
            assertThat(files.toList()).isEmpty();
        }
        assertThat(TestPlayer.await(outbox.pending())).isZero();
    }

    @Test
    void aResultSpooledByAnEarlierRunIsWrittenByTheNext() throws Exception {
        MatchResult leftBehind = result();
        Files.writeString(spool.resolve(leftBehind.matchId() + ".json"), Wire.encode(leftBehind));
        FlakyStore postgres = new FlakyStore(0);

        ResultOutbox outbox = new ResultOutbox(vertx, spool.toString(), List.of(postgres));
        assertThat(TestPlayer.await(outbox.resumePending())).isEqualTo(1);
        eventually(() -> outbox.written() == 1);

        assertThat(postgres.kept.get(leftBehind.matchId())).isEqualTo(leftBehind);
        try (var files = Files.list(spool)) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
