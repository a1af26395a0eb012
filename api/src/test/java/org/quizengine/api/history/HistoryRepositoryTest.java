package org.quizengine.api.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.quizengine.api.testing.StoreFixtures.await;
import static org.quizengine.api.testing.StoreFixtures.failureOf;
import static org.quizengine.api.testing.StoreFixtures.insertUser;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.storage.Stores;
import org.quizengine.api.testing.StoreFixtures;
import org.quizengine.api.testing.TestMatches;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;

@ExtendWith(VertxExtension.class)
class HistoryRepositoryTest {
    private static final long T0 = 1_763_800_000_000L;

    @TempDir
    static Path dataDir;
    private static Vertx vertx;
    private static Stores stores;
    private static Pool pool;
    private static MatchResultStore results;
    private static HistoryRepository history;

    /** The extension closes this Vert.x after the class. */
    @BeforeAll
    static void start(Vertx classVertx) {
        vertx = classVertx;
        stores = StoreFixtures.start(vertx, dataDir);
        pool = stores.pool();
        results = new MatchResultStore(pool);
        history = new HistoryRepository(pool, "history-test-cursor-secret".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        await(stores.close());
    }

    @Test
    void pagesThroughHistoryNewestFirst() {
        UUID me = insertUser(pool, "pager");
        UUID rival = insertUser(pool, "rival");
        UUID stranger = insertUser(pool, "stranger");
        List<MatchResult> mine = new ArrayList<>();
        // Saved out of order; two of them finish at the very same millisecond.
        long[] finishTimes = {T0 + 3_000_000, T0 + 1_000_000, T0 + 5_000_000, T0 + 3_000_000, T0 + 2_000_000};
        for (long finishedAt : finishTimes) {
            MatchResult result = TestMatches.match(UUID.randomUUID(), finishedAt, 3, List.of(rival, me));
            mine.add(result);
            await(results.save(result));
        }
        await(results.save(TestMatches.match(UUID.randomUUID(), T0 + 9_000_000, 3, List.of(stranger))));

        List<UUID> expectedOrder = mine.stream()
            .sorted((a, b) -> a.finishedAt() != b.finishedAt() ? Long.compare(b.finishedAt(), a.finishedAt())
                : compareAsPostgres(b.matchId(), a.matchId()))
            .map(MatchResult::matchId)
            .toList();

        HistoryPage first = await(history.history(me, null, 2));
        HistoryPage second = await(history.history(me, first.nextCursor(), 2));
        HistoryPage third = await(history.history(me, second.nextCursor(), 2));

        assertThat(first.items()).hasSize(2);
        assertThat(second.items()).hasSize(2);
        assertThat(third.items()).hasSize(1);
        assertThat(first.nextCursor()).isNotNull();
        assertThat(second.nextCursor()).isNotNull();
        assertThat(third.nextCursor()).isNull();
        List<UUID> seen = new ArrayList<>();
        List.of(first, second, third).forEach(page -> page.items().forEach(item -> seen.add(item.matchId())));
        assertThat(seen).containsExactlyElementsOf(expectedOrder);

        // An exactly full last page has no next cursor either.
        HistoryPage all = await(history.history(me, null, 5));
        assertThat(all.items()).hasSize(5);
        assertThat(all.nextCursor()).isNull();
    }

    @Test
    void describesEachMatchFromThePlayersPointOfView() {
        UUID me = insertUser(pool, "viewer");
        UUID winner = insertUser(pool, "winner");
        UUID third = insertUser(pool, "third");
        MatchResult result = TestMatches.match(UUID.randomUUID(), MatchKind.LOBBY, "geography", T0, 4,
            List.of(winner, me, third));
        await(results.save(result));

        HistoryItem item = await(history.history(me, null, 10)).items().get(0);

        var mine = result.players().get(1);
        assertThat(item).isEqualTo(new HistoryItem(result.matchId(), "lobby", "geography", result.startedAt(),
            result.finishedAt(), mine.rank(), mine.score(), mine.correctAnswers(), 3));
    }

    @Test
    void aPlayerWithoutMatchesHasAnEmptyHistory() {
        HistoryPage page = await(history.history(insertUser(pool, "newcomer"), null, 10));
        assertThat(page.items()).isEmpty();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void rejectsBadCursorsAndLimits() {
        UUID me = insertUser(pool, "hacker");
        String notOurs = Base64.getUrlEncoder().encodeToString("123:not-a-uuid".getBytes(StandardCharsets.UTF_8));
        String noSeparator = Base64.getUrlEncoder().encodeToString("12345".getBytes(StandardCharsets.UTF_8));
        String shortUuid = Base64.getUrlEncoder().encodeToString("1:1-1-1-1-1".getBytes(StandardCharsets.UTF_8));
        for (String cursor : List.of("not base64!", "", notOurs, noSeparator, shortUuid, "' OR 1=1 --", "A".repeat(500))) {
            assertThat(failureOf(history.history(me, cursor, 10)))
                .as("cursor %s", cursor)
                .isInstanceOfSatisfying(QuizException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        }
        for (int limit : new int[] {0, -1, HistoryRepository.MAX_PAGE_SIZE + 1}) {
            assertThat(failureOf(history.history(me, null, limit)))
                .isInstanceOfSatisfying(QuizException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        }
    }

    @Test
    void showsAMatchInFull() {
        UUID ann = insertUser(pool, "ann");
        UUID bob = insertUser(pool, "bob");
        UUID cid = insertUser(pool, "cid");
        MatchResult result = TestMatches.match(UUID.randomUUID(), T0 + 7_000_000, 3, List.of(ann, bob, cid));
        await(results.save(result));

        MatchDetail detail = await(history.matchDetail(result.matchId()));

        assertThat(detail.matchId()).isEqualTo(result.matchId());
        assertThat(detail.kind()).isEqualTo("quick");
        assertThat(detail.category()).isEqualTo("science");
        assertThat(detail.questionCount()).isEqualTo(3);
        assertThat(detail.startedAt()).isEqualTo(result.startedAt());
        assertThat(detail.finishedAt()).isEqualTo(result.finishedAt());
        // ann is always right, cid on even questions, bob only on the first.
        assertThat(detail.players()).extracting(MatchDetail.Player::userId).containsExactly(ann, cid, bob);
        MatchDetail.Player first = detail.players().get(0);
        var annResult = result.players().get(0);
        assertThat(first).isEqualTo(new MatchDetail.Player(ann, "player0", 1, annResult.score(), 3, 3, false));

        assertThat(detail.questions()).extracting(MatchDetail.Question::index).containsExactly(0, 1, 2);
        MatchDetail.Question second = detail.questions().get(1);
        var asked = result.questions().get(1);
        assertThat(second.text()).isEqualTo(asked.question().text());
        assertThat(second.options()).containsExactly("right", "wrong 1", "wrong 2", "wrong 3");
        assertThat(second.correctOption()).isZero();
        assertThat(second.category()).isEqualTo("science");
        assertThat(second.difficulty()).isEqualTo("easy");
        assertThat(second.openedAt()).isEqualTo(asked.openedAt());
        assertThat(second.closedAt()).isEqualTo(asked.closedAt());
        // In the order they arrived: ann answers fastest.
        assertThat(second.answers()).containsExactly(
            new MatchDetail.Answer(ann, 0, true, 900, 1000, asked.openedAt() + 1000),
            new MatchDetail.Answer(bob, 1, false, 0, 1500, asked.openedAt() + 1500),
            new MatchDetail.Answer(cid, 2, false, 0, 2000, asked.openedAt() + 2000));
    }

    @Test
    void listsTiedPlayersByUsernameComparedByCodePointWhateverTheirPlayerOrder() {
        UUID bob = insertUser(pool, "tie-bob");
        UUID zoe = insertUser(pool, "tie-zoe");
        UUID ann = insertUser(pool, "tie-ann");
        MatchResult played = TestMatches.match(UUID.randomUUID(), T0 + 8_000_000, 1, List.of(bob, zoe, ann));
        // Player order bob, Zoe, ann; bob and Zoe tie for first. By code point "Zoe" comes before "bob"
        // (a locale's collation would put bob first), and the player order would too.
        MatchResult tied = new MatchResult(played.matchId(), played.kind(), played.category(), played.startedAt(),
            played.finishedAt(), List.of(
                new MatchResult.PlayerResult(bob, "bob", 1, 900, 1, 1, 1, false),
                new MatchResult.PlayerResult(zoe, "Zoe", 1, 900, 1, 1, 1, false),
                new MatchResult.PlayerResult(ann, "ann", 3, 100, 1, 1, 1, false)),
            played.questions());
        await(results.save(tied));

        MatchDetail detail = await(history.matchDetail(tied.matchId()));

        assertThat(detail.players()).extracting(MatchDetail.Player::username, MatchDetail.Player::rank)
            .containsExactly(tuple("Zoe", 1), tuple("bob", 1), tuple("ann", 3));
    }

    @Test
    void aMissingMatchIsNotFound() {
        assertThat(failureOf(history.matchDetail(UUID.randomUUID())))
            .isInstanceOfSatisfying(QuizException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                assertThat(e.getMessage()).isEqualTo("No such match");
            });
    }

    /** PostgreSQL orders uuids as unsigned bytes; java.util.UUID compares signed longs. */
    private static int compareAsPostgres(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
