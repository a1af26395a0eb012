package org.quizengine.api.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.quizengine.api.testing.StoreFixtures.await;
import static org.quizengine.api.testing.StoreFixtures.failureOf;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.storage.Stores;
import org.quizengine.api.testing.StoreFixtures;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.PlayerResult;

/**
 * A rebuild while results keep arriving, against real PostgreSQL and Redis. PostgreSQL's
 * {@code matches} table is locked to hold the rebuild at its snapshot while results are applied.
 */
@ExtendWith(VertxExtension.class)
class LeaderboardRebuildTest {
    @TempDir
    static Path dataDir;
    private static Stores stores;
    private static RedisAPI redis;
    private static MatchResultStore results;
    private static LeaderboardStore boards;
    private static LeaderboardRebuild rebuild;

    @BeforeAll
    static void start(Vertx vertx) {
        stores = StoreFixtures.start(vertx, dataDir);
        redis = stores.redis();
        results = new MatchResultStore(stores.pool());
        boards = new LeaderboardStore(redis, Clock.systemUTC());
        rebuild = new LeaderboardRebuild(stores.pool(), boards, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        await(stores.close());
    }

    /** Tests here store matches in PostgreSQL only where they say so; Redis starts empty each time. */
    @BeforeEach
    void emptyRedis() {
        await(redis.flushall(List.of()));
    }

    @Test
    void resultsAppliedWhileItRunsAreNeitherLostNorCountedTwice() throws InterruptedException {
        List<UUID> users = IntStream.range(0, 4)
            .mapToObj(i -> StoreFixtures.insertUser(stores.pool(), "rb" + i + "-" + UUID.randomUUID().toString()
                .substring(0, 8)))
            .toList();
        Instant now = Instant.now();
        MatchResult applied = match(now.minusSeconds(40), users.get(0), 100);
        MatchResult onItsWay = match(now.minusSeconds(30), users.get(1), 200);
        MatchResult appliedMeanwhile = match(now.minusSeconds(20), users.get(2), 300);
        MatchResult storedAfterTheSnapshot = match(now.minusSeconds(10), users.get(3), 400);
        await(results.save(applied));
        await(boards.apply(applied));
        // Stored, but the outbox has not reached Redis with it yet.
        await(results.save(onItsWay));
        await(results.save(appliedMeanwhile));

        SqlConnection locker = await(stores.pool().getConnection());
        await(locker.query("BEGIN").execute());
        await(locker.query("LOCK TABLE matches IN ACCESS EXCLUSIVE MODE").execute());
        Future<RebuildReport> running = rebuild.run();
        awaitLock();
        assertThat(failureOf(rebuild.run())).isInstanceOfSatisfying(QuizException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LEADERBOARD_REBUILD_RUNNING));
        assertThat(await(boards.apply(appliedMeanwhile))).isTrue();
        // Its PostgreSQL write would wait for the lock: it commits after the rebuild's snapshot.
        assertThat(await(boards.apply(storedAfterTheSnapshot))).isTrue();
        await(locker.query("ROLLBACK").execute());
        await(locker.close());

        RebuildReport report = await(running);
        await(results.save(storedAfterTheSnapshot));

        assertThat(report.appliedDuringRebuild()).isEqualTo(1);
        assertThat(report.matches()).isEqualTo(3);
        assertThat(await(boards.apply(onItsWay))).as("marked as applied by the rebuild").isFalse();
        assertThat(await(boards.apply(appliedMeanwhile))).isFalse();
        for (Period period : Period.values()) {
            assertThat(await(boards.page(period.boardId(now), 0, 10)).entries()).as(period.name())
                .extracting(LeaderboardEntry::userId, LeaderboardEntry::score)
                .containsExactly(
                    tuple(users.get(3), 400L),
                    tuple(users.get(2), 300L),
                    tuple(users.get(1), 200L),
                    tuple(users.get(0), 100L));
        }
        assertThat(await(redis.keys(LeaderboardKeys.PREFIX + "rebuild:*"))).as("nothing of the rebuild is left")
            .isEmpty();
        assertThat(await(rebuild.run()).matches()).as("and another may run").isEqualTo(4);
    }

    @Test
    void aPlayerRemovedAfterTheRebuildReadPostgresqlStaysOff() {
        // Their account's deletion is not in the snapshot the rebuild reads; their removal is in Redis.
        UUID leaving = StoreFixtures.insertUser(stores.pool(), "rbgone-" + UUID.randomUUID().toString().substring(0, 8));
        UUID staying = StoreFixtures.insertUser(stores.pool(), "rbstay-" + UUID.randomUUID().toString().substring(0, 8));
        Instant now = Instant.now();
        MatchResult played = match(now.minusSeconds(5), leaving, 500);
        MatchResult other = match(now.minusSeconds(4), staying, 400);
        for (MatchResult result : List.of(played, other)) {
            await(results.save(result));
            await(boards.apply(result));
        }
        await(boards.removePlayer(leaving));

        await(rebuild.run());

        for (Period period : Period.values()) {
            assertThat(await(boards.rankOf(period.boardId(now), leaving))).as(period.name()).isNull();
            assertThat(await(boards.rankOf(period.boardId(now), staying))).as(period.name()).isNotNull();
        }
    }

    @Test
    void whatPostgresqlDoesNotHoldIsDropped() {
        UUID onlyInRedis = UUID.randomUUID();
        Instant now = Instant.now();
        await(boards.apply(match(now.minusSeconds(5), onlyInRedis, 999)));
        assertThat(await(boards.rankOf(Period.DAY.boardId(now), onlyInRedis))).isNotNull();

        await(rebuild.run());

        for (Period period : Period.values()) {
            assertThat(await(boards.rankOf(period.boardId(now), onlyInRedis))).as(period.name()).isNull();
        }
    }

    @Test
    void aRebuildThatOutlivesItsLockLeavesTheBoardsAsTheyWere() throws InterruptedException {
        UUID player = UUID.randomUUID();
        Instant now = Instant.now();
        await(boards.apply(match(now.minusSeconds(5), player, 321)));
        SqlConnection locker = await(stores.pool().getConnection());
        await(locker.query("BEGIN").execute());
        await(locker.query("LOCK TABLE matches IN ACCESS EXCLUSIVE MODE").execute());
        Future<RebuildReport> running = rebuild.run();
        awaitLock();

        // What the lock's expiry does: from here on, results would no longer be journalled.
        await(redis.del(List.of(LeaderboardKeys.REBUILD_LOCK)));
        await(locker.query("ROLLBACK").execute());
        await(locker.close());

        assertThat(failureOf(running)).isInstanceOfSatisfying(QuizException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LEADERBOARD_REBUILD_EXPIRED));
        assertThat(await(boards.rankOf(Period.ALL.boardId(now), player)))
            .isEqualTo(new LeaderboardEntry(1, player, 321, Instant.ofEpochMilli(now.minusSeconds(5).toEpochMilli())));
    }

    /** Waits until a rebuild started on another thread holds its lock (it is then journalling). */
    private static void awaitLock() throws InterruptedException {
        while (await(redis.exists(List.of(LeaderboardKeys.REBUILD_LOCK))).toInteger() == 0) {
            Thread.sleep(10);
        }
    }

    private static MatchResult match(Instant finishedAt, UUID user, int score) {
        long end = finishedAt.toEpochMilli();
        return new MatchResult(UUID.randomUUID(), MatchKind.QUICK, null, end - 60_000, end,
            List.of(new PlayerResult(user, "p", 1, score, 0, 0, 0, false)), List.of());
    }
}
