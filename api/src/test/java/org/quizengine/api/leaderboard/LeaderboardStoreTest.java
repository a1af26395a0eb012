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
            assertThat(await(top(period.boardId(NOON), 0, 10)))
                .as(period.name())
                .containsExactly(new Ranked(1, ann, 700), new Ranked(2, bob, 300));
        }
    }

    @Test
    void concurrentRetriesApplyOnce(VertxTestContext test) {
        UUID ann = UUID.randomUUID();
        MatchResult match = match(NOON, ann, 500);

        List<Future<Boolean>> applies = IntStream.range(0, 5).mapToObj(i -> boards.apply(match)).toList();

        Future.all(applies)
            .compose(all -> rank(Period.ALL.boardId(NOON), ann))
            .onComplete(test.succeeding(entry -> test.verify(() -> {
                assertThat(applies).extracting(Future::result).containsOnlyOnce(true);
                assertThat(entry).isEqualTo(new Ranked(1, ann, 500));
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

        assertThat(await(top(Period.DAY.boardId(NOON), 0, 10))).containsExactly(
            new Ranked(1, ann, 1200), new Ranked(2, bob, 900),
            new Ranked(3, cid, 250), new Ranked(4, dan, 150));
        assertThat(await(top(Period.DAY.boardId(NOON), 1, 2))).containsExactly(
            new Ranked(2, bob, 900), new Ranked(3, cid, 250));
        assertThat(await(top(Period.DAY.boardId(NOON), 4, 10))).isEmpty();

        assertThat(await(rank(Period.WEEK.boardId(NOON), cid))).isEqualTo(new Ranked(3, cid, 250));
        assertThat(await(rank(Period.ALL.boardId(NOON), dan))).isEqualTo(new Ranked(4, dan, 150));
        assertThat(await(rank(Period.DAY.boardId(NOON), UUID.randomUUID()))).isNull();
        assertThat(await(top(Period.DAY.boardId(NOON.minus(Duration.ofDays(3))), 0, 10))).isEmpty();
    }

    @Test
    void aMatchCountsInTheDayAndWeekItFinishedIn() {
        UUID lateYesterday = UUID.randomUUID();
        UUID earlyToday = UUID.randomUUID();
        await(boards.apply(match(TODAY.minusMillis(1), lateYesterday, 10)));
        await(boards.apply(match(TODAY, earlyToday, 20)));

        assertThat(await(top(Period.DAY.boardId(NOON), 0, 10))).containsExactly(new Ranked(1, earlyToday, 20));
        assertThat(await(top(Period.DAY.boardId(TODAY.minusSeconds(3600)), 0, 10)))
            .containsExactly(new Ranked(1, lateYesterday, 10));
        assertThat(await(top(Period.ALL.boardId(NOON), 0, 10))).hasSize(2);

        Instant monday = TODAY.atZone(ZoneOffset.UTC).toLocalDate()
            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC).toInstant();
        UUID lastWeek = UUID.randomUUID();
        UUID thisWeek = UUID.randomUUID();
        await(boards.apply(match(monday.minusMillis(1), lastWeek, 5)));
        await(boards.apply(match(monday, thisWeek, 6)));
        assertThat(await(rank(Period.WEEK.boardId(NOON), thisWeek))).isNotNull();
        assertThat(await(rank(Period.WEEK.boardId(NOON), lastWeek))).isNull();
        assertThat(await(rank(Period.WEEK.boardId(monday.minusSeconds(1)), lastWeek))).isNotNull();
    }

    @Test
    void periodBoardsExpireAndTheAllTimeBoardDoesNot() {
        await(boards.apply(match(NOON, UUID.randomUUID(), 1)));

        long dayTtl = await(redis.ttl(LeaderboardKeys.board(Period.DAY.boardId(NOON)))).toLong();
        long weekTtl = await(redis.ttl(LeaderboardKeys.board(Period.WEEK.boardId(NOON)))).toLong();
        String marker = await(redis.keys("lb:applied:*")).get(0).toString();
        long markerTtl = await(redis.ttl(marker)).toLong();
        long now = Instant.now().getEpochSecond();
        assertThat(dayTtl).isBetween(Period.DAY.expiresAt(NOON).getEpochSecond() - now - 5,
            Period.DAY.expiresAt(NOON).getEpochSecond() - now);
        assertThat(weekTtl).isBetween(Period.WEEK.expiresAt(NOON).getEpochSecond() - now - 5,
            Period.WEEK.expiresAt(NOON).getEpochSecond() - now);
        assertThat(markerTtl).isBetween(LeaderboardStore.APPLIED_MARKER_TTL.toSeconds() - 5,
            LeaderboardStore.APPLIED_MARKER_TTL.toSeconds());
        assertThat(await(redis.ttl(LeaderboardKeys.board(Period.ALL.boardId(NOON)))).toLong()).isEqualTo(-1);
    }

    @Test
    void aResultTooOldToApplyOnlyOnceIsNotApplied() {
        UUID ann = UUID.randomUUID();
        assertThat(await(boards.apply(match(NOON.minus(Duration.ofDays(40)), ann, 100)))).isFalse();
        assertThat(await(rank(Period.ALL.boardId(NOON), ann))).isNull();
    }

    @Test
    void stillAppliesAfterRedisForgotTheScript() {
        UUID ann = UUID.randomUUID();
        await(boards.apply(match(NOON, ann, 10)));
        await(redis.script(List.of("FLUSH")));

        assertThat(await(boards.apply(match(NOON, ann, 5)))).isTrue();
        assertThat(await(rank(Period.DAY.boardId(NOON), ann))).isEqualTo(new Ranked(1, ann, 15));
    }

    @Test
    void equalTotalsRankByWhoReachedThemFirst() {
        UUID early = UUID.randomUUID();
        UUID late = UUID.randomUUID();
        Instant earlyReached = NOON.plusSeconds(30);
        Instant lateReached = NOON.plusSeconds(60);
        await(boards.apply(match(lateReached, late, 500)));
        // Applied out of order, as retries may be: early reaches 500 with its later match.
        await(boards.apply(match(earlyReached, early, 300)));
        await(boards.apply(match(NOON, early, 200)));
        // A match without points later on does not change when early got there.
        await(boards.apply(match(NOON.plusSeconds(90), early, 0)));

        for (Period period : Period.values()) {
            assertThat(await(boards.page(period.boardId(NOON), 0, 10)).entries()).as(period.name()).containsExactly(
                new LeaderboardEntry(1, early, 500, earlyReached), new LeaderboardEntry(2, late, 500, lateReached));
        }
    }

    @Test
    void aPlayerWithoutPointsReachedZeroAtTheirFirstMatch() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        await(boards.apply(match(NOON.plusSeconds(20), first, 0)));
        await(boards.apply(match(NOON.plusSeconds(10), second, 0)));
        await(boards.apply(match(NOON, first, 0)));

        assertThat(await(boards.page(Period.DAY.boardId(NOON), 0, 10)).entries()).containsExactly(
            new LeaderboardEntry(1, first, 0, NOON), new LeaderboardEntry(2, second, 0, NOON.plusSeconds(10)));
    }

    @Test
    void aroundAPlayerIsClippedAtTheTopAndBottom() {
        List<UUID> players = IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID()).toList();
        for (int i = 0; i < players.size(); i++) {
            await(boards.apply(match(NOON, players.get(i), 500 - 100 * i)));
        }
        String day = Period.DAY.boardId(NOON);

        BoardSlice top = await(boards.around(day, players.get(0), 2));
        assertThat(top.total()).isEqualTo(5);
        assertThat(top.entries()).extracting(LeaderboardEntry::rank).containsExactly(1, 2, 3);
        assertThat(top.entries()).extracting(LeaderboardEntry::userId).containsExactlyElementsOf(players.subList(0, 3));
        assertThat(await(boards.around(day, players.get(2), 2)).entries()).extracting(LeaderboardEntry::userId)
            .containsExactlyElementsOf(players);
        assertThat(await(boards.around(day, players.get(4), 1)).entries()).extracting(LeaderboardEntry::rank)
            .containsExactly(4, 5);
        assertThat(await(boards.around(day, UUID.randomUUID(), 2))).isNull();
    }

    @Test
    void rejectsBadPages() {
        for (int[] page : new int[][] {{-1, 10}, {0, 0}, {0, LeaderboardStore.MAX_PAGE_SIZE + 1}}) {
            assertThat(failureOf(boards.page(Period.ALL.boardId(NOON), page[0], page[1])))
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

        assertThat(await(rank(Period.WEEK.boardId(NOON), ann))).isEqualTo(new Ranked(1, ann, 42));
        assertThat(await(boards.apply(match))).isFalse();
        assertThat(await(rank(Period.ALL.boardId(NOON), ann))).isEqualTo(new Ranked(1, ann, 42));
    }

    /** A line without its time, for tests about points and positions. */
    record Ranked(int rank, UUID userId, long score) {
        static Ranked of(LeaderboardEntry entry) {
            return entry == null ? null : new Ranked(entry.rank(), entry.userId(), entry.score());
        }
    }

    private static Future<List<Ranked>> top(String boardId, int offset, int limit) {
        return boards.page(boardId, offset, limit).map(slice -> slice.entries().stream().map(Ranked::of).toList());
    }

    private static Future<Ranked> rank(String boardId, UUID userId) {
        return boards.rankOf(boardId, userId).map(Ranked::of);
    }

    @Test
    void removingAPlayerTakesThemOffEveryBoard() {
        UUID ann = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        Instant yesterday = NOON.minus(Duration.ofDays(1));
        Instant lastWeek = NOON.minus(Duration.ofDays(7));
        for (Instant at : List.of(NOON, yesterday, lastWeek)) {
            await(boards.apply(match(at, ann, 700, bob, 300)));
        }

        await(boards.removePlayer(ann));
        await(boards.removePlayer(ann)); // and again: nothing left to remove is no error

        List<String> boardIds = List.of(LeaderboardKeys.boardId(Period.ALL, NOON), LeaderboardKeys.boardId(Period.WEEK, NOON),
            LeaderboardKeys.boardId(Period.WEEK, lastWeek), LeaderboardKeys.boardId(Period.DAY, NOON),
            LeaderboardKeys.boardId(Period.DAY, yesterday));
        // A result of theirs that arrives late leaves them off too; the others' points count.
        await(boards.apply(match(NOON.plusSeconds(60), ann, 500, bob, 100)));

        for (String boardId : boardIds) {
            List<Ranked> lines = await(top(boardId, 0, 10));
            assertThat(lines).as(boardId).extracting(Ranked::rank, Ranked::userId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, bob));
            assertThat(await(rank(boardId, ann))).as(boardId).isNull();
        }
    }

    /** A match finishing at {@code finishedAt}; {@code players} alternates user id and score. */
    private static MatchResult match(Instant finishedAt, Object... players) {
        List<PlayerResult> results = IntStream.range(0, players.length / 2)
            .mapToObj(i -> new PlayerResult((UUID) players[2 * i], "p" + i, i + 1, (Integer) players[2 * i + 1], 0, 0,
                0, false))
            .toList();
        long end = finishedAt.toEpochMilli();
        return new MatchResult(UUID.randomUUID(), MatchKind.QUICK, null, end - 60_000, end, results, List.of());
    }
}
