package org.quizengine.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.QuestionSpec;

/**
 * The outbox keeps a finished result until every store has taken it: a store that is down is
 * retried until it is back, even after the match that handed the result in is gone; a result
 * spooled by a node that stopped is written by the next, and one left in the shared map that no
 * one is trying is taken on.
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

    /** A store that refuses every write until {@code upAt} (epoch millis), then keeps what it is given. */
    private static final class StoreBackAt implements Function<MatchResult, Future<Boolean>> {
        final Map<UUID, Long> keptAt = new ConcurrentHashMap<>();
        final long upAt;

        StoreBackAt(long upAt) {
            this.upAt = upAt;
        }

        @Override
        public Future<Boolean> apply(MatchResult result) {
            long now = System.currentTimeMillis();
            if (now < upAt) {
                return Future.failedFuture("connection refused");
            }
            return Future.succeededFuture(keptAt.putIfAbsent(result.matchId(), now) == null);
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
    void whileAStoreIsDownTheResultWaitsSpooledAndCountedWithItsAge() throws Exception {
        StoreBackAt postgres = new StoreBackAt(Long.MAX_VALUE);
        ResultOutbox outbox = new ResultOutbox(vertx, spool.toString(), List.of(postgres));
        TestPlayer.await(outbox.start());
        // Names and a question outside ASCII: the spool's bytes are UTF-8, the shared map's text the same.
        QuestionSpec question = new QuestionSpec(17L, "géographie", "easy",
            "Quelle est la capitale du Québec? 🍁", List.of("Québec", "Montréal", "Laval", "Gatineau"), 0);
        UUID player = UUID.randomUUID();
        MatchResult older = new MatchResult(UUID.randomUUID(), MatchKind.QUICK, "géographie", 1_000, 5_000,
            List.of(new MatchResult.PlayerResult(player, "zoë", 1, 900, 1, 1, 1, false)),
            List.of(new MatchResult.QuestionResult(0, question, 1_000, 4_000,
                List.of(new MatchResult.AnswerRecord(player, 0, true, 900, 1_200, 2_200, 1)))));
        MatchResult newer = new MatchResult(UUID.randomUUID(), MatchKind.QUICK, null, 6_000, 9_000, List.of(), List.of());

        TestPlayer.await(outbox.submit(older));
        TestPlayer.await(outbox.submit(newer));

        assertThat(Wire.decode(Files.readAllBytes(spool.resolve(older.matchId() + ".json")), MatchResult.class))
            .isEqualTo(older);
        String held = TestPlayer.await(vertx.sharedData().<String, String>getAsyncMap(Addresses.PENDING_RESULTS_MAP)
            .compose(map -> map.get(older.matchId().toString())));
        assertThat(Wire.decode(held, MatchResult.class)).isEqualTo(older);
        ResultOutbox.Backlog backlog = TestPlayer.await(outbox.backlog(20_000));
        assertThat(backlog.pending()).isEqualTo(2);
        assertThat(backlog.oldestAgeMillis()).as("since the older match finished").isEqualTo(15_000);
        assertThat(postgres.keptAt).isEmpty();
    }

    @Test
    void aPendingResultsFinishTimeIsReadWhereverItsFieldIs() {
        assertThat(ResultOutbox.finishedAt("{\"finishedAt\":42,\"players\":[]}")).isEqualTo(42);
        assertThat(ResultOutbox.finishedAt(
            "{\"players\":[{\"finishedAt\":1}],\"questions\":{\"a\":[1,{}]},\"finishedAt\":7}")).isEqualTo(7);
        MatchResult ended = new MatchResult(UUID.randomUUID(), MatchKind.LOBBY, "science", 1_000, 8_000, List.of(),
            List.of(), "ended by an operator");
        assertThat(ResultOutbox.finishedAt(Wire.encode(ended))).isEqualTo(8_000);
        assertThat(ResultOutbox.finishedAt(Wire.encode(result()))).isEqualTo(2_000);
        // Read from the head only: what follows the field is not looked at (the full decode, later, is).
        assertThat(ResultOutbox.finishedAt("{\"finishedAt\":3,\"players\":")).isEqualTo(3);
        for (String bad : List.of("{\"startedAt\":1}", "{\"finishedAt\":null}", "{\"finishedAt\":\"5\"}",
                "{\"finishedAt\":1.5}", "{\"finishedAt\":99999999999999999999}", "")) {
            assertThatThrownBy(() -> ResultOutbox.finishedAt(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ResultOutbox.finishedAt("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultOutbox.finishedAt("{\"finishedAt\":")).isInstanceOf(IllegalArgumentException.class);
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

    @Test
    void aRetryOutlivesTheMatchThatHandedTheResultIn() throws Exception {
        // Down long enough for several tries; the match that submitted is gone after the first.
        StoreBackAt postgres = new StoreBackAt(System.currentTimeMillis() + 2_000);
        ResultOutbox outbox = new ResultOutbox(vertx, spool.toString(), List.of(postgres));
        TestPlayer.await(outbox.start());
        MatchResult result = result();

        String match = TestPlayer.await(vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                return outbox.submit(result);
            }
        }));
        Thread.sleep(100);
        TestPlayer.await(vertx.undeploy(match));
        eventually(() -> postgres.keptAt.containsKey(result.matchId()));

        long delay = postgres.keptAt.get(result.matchId()) - postgres.upAt;
        System.out.printf("[outbox] result stored %d ms after the store came back%n", delay);
        assertThat(delay).as("stored within the longest pause between tries of the store's return")
            .isLessThanOrEqualTo(ResultOutbox.MAX_RETRY_MILLIS + 1_000);
        eventually(() -> TestPlayer.await(outbox.pending()) == 0);
    }

    @Test
    void aPendingResultThatNoOneIsTryingIsTakenOn() throws Exception {
        FlakyStore postgres = new FlakyStore(0);
        ResultOutbox outbox = new ResultOutbox(vertx, spool.toString(), List.of(postgres));
        TestPlayer.await(outbox.start());
        // As a node leaves it that stopped trying (or restarted elsewhere): in the map, finished a while ago.
        MatchResult stranded = new MatchResult(UUID.randomUUID(), MatchKind.QUICK, null, 1_000, 2_000, List.of(), List.of());
        TestPlayer.await(vertx.sharedData().<String, String>getAsyncMap(Addresses.PENDING_RESULTS_MAP)
            .compose(map -> map.put(stranded.matchId().toString(), Wire.encode(stranded))));

        eventually(() -> postgres.kept.containsKey(stranded.matchId()));
        eventually(() -> TestPlayer.await(outbox.pending()) == 0);
        assertThat(postgres.calls.get()).isEqualTo(1);
    }
}
