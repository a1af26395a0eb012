package org.quizengine.api.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.testing.StoreFixtures.await;
import static org.quizengine.api.testing.StoreFixtures.failureOf;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.storage.Stores;
import org.quizengine.api.testing.StoreFixtures;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.PlayerResult;

/**
 * Against a real Redis. Redis expires keys by its own (real) clock, so matches here finish around
 * the real today: boards written for them must not be already expired.
 */
@ExtendWith(VertxExtension.class)
class LeaderboardStoreTest {
    private static final Instant TODAY = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Instant NOON = TODAY.plus(Duration.ofHours(12));

    @TempDir
    static Path dataDir;
    private static Vertx vertx;
    private static Stores stores;
    private static RedisAPI redis;
    private static LeaderboardStore boards;

    /** The extension closes this Vert.x after the class. */
    @BeforeAll
    static void start(Vertx classVertx) {
        vertx = classVertx;
        stores = StoreFixtures.start(vertx, dataDir);
        redis = stores.redis();
        boards = new LeaderboardStore(redis, Clock.fixed(NOON, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        await(stores.close());
    }

    @BeforeEach
    void emptyRedis() {
        await(redis.flushall(List.of()));
    }

    @Test
    void applyingAMatchTwiceCountsItOnce() {
        UUID ann = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        MatchResult match = match(NOON, ann, 700, bob, 300);

        assertThat(await(boards.apply(match))).isTrue();
        assertThat(await(boards.apply(match))).isFalse();

        for (Period period : Period.values()) {
            assertThat(await(boards.top(period, NOON, 0, 10)))
                .as(period.name())
                .containsExactly(new LeaderboardEntry(1, ann, 700), new LeaderboardEntry(2, bob, 300));
        }
    }

    @Test
    void concurrentRetriesApplyOnce(VertxTestContext test) {
        UUID ann = UUID.randomUUID();
        MatchResult match = match(NOON, ann, 500);

        List<Future<Boolean>> applies = IntStream.range(0, 5).mapToObj(i -> boards.apply(match)).toList();

        Future.all(applies)
            .compose(all -> boards.rankOf(Period.ALL, NOON, ann))
            .onComplete(test.succeeding(entry -> test.verify(() -> {
                assertThat(applies).extracting(Future::result).containsOnlyOnce(true);
                assertThat(entry).isEqualTo(new LeaderboardEntry(1, ann, 500));
                test.completeNow();
            })));
    }

    @Test
    void ranksBySummedScoreAndPages() {
        UUID ann = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        UUID cid = UUID.randomUUID();
        UUID dan = UUID.randomUUID();
        await(boards.apply(match(NOON, ann, 400, bob, 900, cid, 100)));
        await(boards.apply(match(NOON.plusSeconds(60), ann, 800, dan, 50)));
        await(boards.apply(match(NOON.plusSeconds(120), cid, 150, dan, 100)));

        assertThat(await(boards.top(Period.DAY, NOON, 0, 10))).containsExactly(
            new LeaderboardEntry(1, ann, 1200), new LeaderboardEntry(2, bob, 900),
            new LeaderboardEntry(3, cid, 250), new LeaderboardEntry(4, dan, 150));
        assertThat(await(boards.top(Period.DAY, NOON, 1, 2))).containsExactly(
            new LeaderboardEntry(2, bob, 900), new LeaderboardEntry(3, cid, 250));
        assertThat(await(boards.top(Period.DAY, NOON, 4, 10))).isEmpty();

        assertThat(await(boards.rankOf(Period.WEEK, NOON, cid))).isEqualTo(new LeaderboardEntry(3, cid, 250));
        assertThat(await(boards.rankOf(Period.ALL, NOON, dan))).isEqualTo(new LeaderboardEntry(4, dan, 150));
        assertThat(await(boards.rankOf(Period.DAY, NOON, UUID.randomUUID()))).isNull();
        assertThat(await(boards.top(Period.DAY, NOON.minus(Duration.ofDays(3)), 0, 10))).isEmpty();
    }

    @Test
    void aMatchCountsInTheDayAndWeekItFinishedIn() {
        UUID lateYesterday = UUID.randomUUID();
        UUID earlyToday = UUID.randomUUID();
        await(boards.apply(match(TODAY.minusMillis(1), lateYesterday, 10)));
        await(boards.apply(match(TODAY, earlyToday, 20)));

        assertThat(await(boards.top(Period.DAY, NOON, 0, 10))).containsExactly(new LeaderboardEntry(1, earlyToday, 20));
        assertThat(await(boards.top(Period.DAY, TODAY.minusSeconds(3600), 0, 10)))
            .containsExactly(new LeaderboardEntry(1, lateYesterday, 10));
        assertThat(await(boards.top(Period.ALL, NOON, 0, 10))).hasSize(2);

        Instant monday = TODAY.atZone(ZoneOffset.UTC).toLocalDate()
            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC).toInstant();
        UUID lastWeek = UUID.randomUUID();
        UUID thisWeek = UUID.randomUUID();
        await(boards.apply(match(monday.minusMillis(1), lastWeek, 5)));
        await(boards.apply(match(monday, thisWeek, 6)));
        assertThat(await(boards.rankOf(Period.WEEK, NOON, thisWeek))).isNotNull();
        assertThat(await(boards.rankOf(Period.WEEK, NOON, lastWeek))).isNull();
        assertThat(await(boards.rankOf(Period.WEEK, monday.minusSeconds(1), lastWeek))).isNotNull();
    }

    @Test
    void periodBoardsExpireAndTheAllTimeBoardDoesNot() {
        await(boards.apply(match(NOON, UUID.randomUUID(), 1)));

        long dayTtl = await(redis.ttl(Period.DAY.key(NOON))).toLong();
        long weekTtl = await(redis.ttl(Period.WEEK.key(NOON))).toLong();
        String marker = await(redis.keys("lb:applied:*")).get(0).toString();
        long markerTtl = await(redis.ttl(marker)).toLong();
        long now = Instant.now().getEpochSecond();
        assertThat(dayTtl).isBetween(Period.DAY.expiresAt(NOON).getEpochSecond() - now - 5,
            Period.DAY.expiresAt(NOON).getEpochSecond() - now);
        assertThat(weekTtl).isBetween(Period.WEEK.expiresAt(NOON).getEpochSecond() - now - 5,
            Period.WEEK.expiresAt(NOON).getEpochSecond() - now);
        assertThat(markerTtl).isBetween(LeaderboardStore.APPLIED_MARKER_TTL.toSeconds() - 5,
            LeaderboardStore.APPLIED_MARKER_TTL.toSeconds());
        assertThat(await(redis.ttl(Period.ALL.key(NOON))).toLong()).isEqualTo(-1);
    }

    @Test
    void aResultTooOldToApplyOnlyOnceIsNotApplied() {
        UUID ann = UUID.randomUUID();
        assertThat(await(boards.apply(match(NOON.minus(Duration.ofDays(40)), ann, 100)))).isFalse();
        assertThat(await(boards.rankOf(Period.ALL, NOON, ann))).isNull();
    }

    @Test
    void stillAppliesAfterRedisForgotTheScript() {
        UUID ann = UUID.randomUUID();
        await(boards.apply(match(NOON, ann, 10)));
        await(redis.script(List.of("FLUSH")));

        assertThat(await(boards.apply(match(NOON, ann, 5)))).isTrue();
        assertThat(await(boards.rankOf(Period.DAY, NOON, ann))).isEqualTo(new LeaderboardEntry(1, ann, 15));
    }

    @Test
    void rejectsBadPages() {
        for (int[] page : new int[][] {{-1, 10}, {0, 0}, {0, LeaderboardStore.MAX_PAGE_SIZE + 1}}) {
            assertThat(failureOf(boards.top(Period.ALL, NOON, page[0], page[1])))
                .isInstanceOfSatisfying(QuizException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        }
    }

    @Test
    void boardsAndAppliedMarkersSurviveARestart() {
        UUID ann = UUID.randomUUID();
        MatchResult match = match(NOON, ann, 42);
        await(boards.apply(match));

        await(stores.close());
        stores = StoreFixtures.start(vertx, dataDir);
        redis = stores.redis();
        boards = new LeaderboardStore(redis, Clock.fixed(NOON, ZoneOffset.UTC));

        assertThat(await(boards.rankOf(Period.WEEK, NOON, ann))).isEqualTo(new LeaderboardEntry(1, ann, 42));
        assertThat(await(boards.apply(match))).isFalse();
        assertThat(await(boards.rankOf(Period.ALL, NOON, ann))).isEqualTo(new LeaderboardEntry(1, ann, 42));
    }

    /** A match finishing at {@code finishedAt}; {@code players} alternates user id and score. */
    @Test
    void removingAPlayerTakesThemOffTheCurrentAndPreviousBoards() {
        UUID ann = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        Instant yesterday = NOON.minus(Duration.ofDays(1));
        Instant lastWeek = NOON.minus(Duration.ofDays(7));
        for (Instant at : List.of(NOON, yesterday, lastWeek)) {
            await(boards.apply(match(at, ann, 700, bob, 300)));
        }

        await(boards.removePlayer(ann));
        await(boards.removePlayer(ann)); // and again: nothing left to remove is no error

        List<String> boardsRead = List.of("all", "week", "last week", "day", "yesterday");
        List<List<LeaderboardEntry>> lines = List.of(
            await(boards.top(Period.ALL, NOON, 0, 10)),
            await(boards.top(Period.WEEK, NOON, 0, 10)),
            await(boards.top(Period.WEEK, lastWeek, 0, 10)),
            await(boards.top(Period.DAY, NOON, 0, 10)),
            await(boards.top(Period.DAY, yesterday, 0, 10)));
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).as(boardsRead.get(i)).isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.userId()).isEqualTo(bob))
                .first().satisfies(entry -> assertThat(entry.rank()).isEqualTo(1));
        }
        assertThat(await(boards.rankOf(Period.ALL, NOON, ann))).isNull();
    }

    private static MatchResult match(Instant finishedAt, Object... players) {
        List<PlayerResult> results = IntStream.range(0, players.length / 2)
            .mapToObj(i -> new PlayerResult((UUID) players[2 * i], "p" + i, i + 1, (Integer) players[2 * i + 1], 0, 0,
                0, false))
            .toList();
        long end = finishedAt.toEpochMilli();
        return new MatchResult(UUID.randomUUID(), MatchKind.QUICK, null, end - 60_000, end, results, List.of());
    }
}
