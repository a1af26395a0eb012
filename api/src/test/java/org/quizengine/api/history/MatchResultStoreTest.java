package org.quizengine.api.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.testing.StoreFixtures.await;
import static org.quizengine.api.testing.StoreFixtures.insertUser;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.mydata.AccountDeletion;
import org.quizengine.api.storage.Stores;
import org.quizengine.api.testing.StoreFixtures;
import org.quizengine.api.testing.TestMatches;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.AnswerRecord;
import org.quizengine.shared.match.MatchResult.PlayerResult;
import org.quizengine.shared.match.MatchResult.QuestionResult;
import org.quizengine.shared.match.QuestionSpec;

@ExtendWith(VertxExtension.class)
class MatchResultStoreTest {
    @TempDir
    static Path dataDir;
    private static Vertx vertx;
    private static Stores stores;
    private static Pool pool;
    private static MatchResultStore results;

    /** The extension closes this Vert.x after the class. */
    @BeforeAll
    static void start(Vertx classVertx) {
        vertx = classVertx;
        stores = StoreFixtures.start(vertx, dataDir);
        pool = stores.pool();
        results = new MatchResultStore(pool);
    }

    @AfterAll
    static void stop() {
        await(stores.close());
    }

    @Test
    void aResultArrivingAfterAnAccountWasDeletedKeepsItAnonymous() {
        UUID gone = insertUser(pool, "gone-" + UUID.randomUUID().toString().substring(0, 8));
        UUID stays = insertUser(pool, "stays-" + UUID.randomUUID().toString().substring(0, 8));
        await(new AccountDeletion(pool).anonymise(gone));
        MatchResult late = TestMatches.match(UUID.randomUUID(), 1_763_800_000_000L, 2, List.of(gone, stays));

        await(results.save(late));

        Row player = await(pool.preparedQuery("SELECT username FROM match_players WHERE match_id = $1 AND user_id = $2")
            .execute(Tuple.of(late.matchId(), gone))).iterator().next();
        assertThat(player.getString("username")).isEqualTo(AccountDeletion.anonymousName(gone));
        assertThat(await(pool.preparedQuery("SELECT 1 FROM player_stats WHERE user_id = $1").execute(Tuple.of(gone))))
            .isEmpty();
        assertThat(await(pool.preparedQuery("SELECT 1 FROM player_stats WHERE user_id = $1").execute(Tuple.of(stays))))
            .hasSize(1);
    }

    @Test
    void aResultSavedWhileItsPlayerIsBeingDeletedWaitsAndIsStoredAnonymously() throws InterruptedException {
        UUID leaving = insertUser(pool, "leaving-" + UUID.randomUUID().toString().substring(0, 8));
        UUID stays = insertUser(pool, "stays-" + UUID.randomUUID().toString().substring(0, 8));
        MatchResult result = TestMatches.match(UUID.randomUUID(), 1_763_900_000_000L, 2, List.of(leaving, stays));
        String anonymous = AccountDeletion.anonymousName(leaving);
        // A deletion under way: its update of the user row is made but not committed yet.
        SqlConnection deleting = await(pool.getConnection());
        Transaction deletion = await(deleting.begin());
        await(deleting.preparedQuery("UPDATE users SET username = $2, deleted_at = now() WHERE id = $1")
            .execute(Tuple.of(leaving, anonymous)));

        Future<Boolean> saving = results.save(result);
        Thread.sleep(300); // time for the save to run ahead, were it not made to wait
        await(deletion.commit());
        await(deleting.close());
        await(saving);

        Row player = await(pool.preparedQuery("SELECT username FROM match_players WHERE match_id = $1 AND user_id = $2")
            .execute(Tuple.of(result.matchId(), leaving))).iterator().next();
        assertThat(player.getString("username")).isEqualTo(anonymous);
        assertThat(await(pool.preparedQuery("SELECT 1 FROM player_stats WHERE user_id = $1").execute(Tuple.of(leaving))))
            .isEmpty();
    }

    @Test
    void savingTheSameResultTwiceWritesItOnce() {
        List<UUID> users = users(3);
        MatchResult result = TestMatches.match(UUID.randomUUID(), 1_700_000_000_000L, 4, users);

        assertThat(await(results.save(result))).isTrue();
        List<Long> countsAfterFirst = counts(result.matchId(), users.get(0));
        assertThat(countsAfterFirst).containsExactly(1L, 3L, 4L, 12L, 1L);

        assertThat(await(results.save(result))).isFalse();
        assertThat(counts(result.matchId(), users.get(0))).isEqualTo(countsAfterFirst);
        Row stats = statsOf(users.get(0));
        assertThat(stats.getInteger("matches_played")).isEqualTo(1);
        assertThat(stats.getLong("total_score")).isEqualTo(result.players().get(0).score());
    }

    @Test
    void concurrentRetriesOfOneResultWriteItOnce(VertxTestContext test) {
        List<UUID> users = users(2);
        MatchResult result = TestMatches.match(UUID.randomUUID(), 1_700_000_100_000L, 3, users);

        List<Future<Boolean>> saves = IntStream.range(0, 4).mapToObj(i -> results.save(result)).toList();

        Future.all(saves).onComplete(test.succeeding(all -> test.verify(() -> {
            assertThat(saves).extracting(Future::result).containsExactlyInAnyOrder(true, false, false, false);
            test.completeNow();
        })));
    }

    @Test
    void concurrentRetriesLeaveOneCopyOfEverything() {
        List<UUID> users = users(2);
        MatchResult result = TestMatches.match(UUID.randomUUID(), 1_700_000_150_000L, 3, users);

        await(Future.all(IntStream.range(0, 4).mapToObj(i -> results.save(result)).toList()));

        assertThat(statsOf(users.get(1)).getInteger("matches_played")).isEqualTo(1);
        assertThat(counts(result.matchId(), users.get(1))).containsExactly(1L, 2L, 3L, 6L, 1L);
    }

    @Test
    void storesTheQuestionsAsTheyWereAsked() {
        List<UUID> users = users(2);
        UUID matchId = UUID.randomUUID();
        long bankQuestionId = insertScienceQuestion();
        QuestionSpec fromBank = new QuestionSpec(bankQuestionId, "science", "hard", "Bank question?",
            List.of("x", "y", "z"), 2);
        QuestionSpec deletedSince = new QuestionSpec(987_654_321L, "science", "medium", "Deleted question?",
            List.of("p", "q"), 1);
        long t = 1_700_000_200_000L;
        MatchResult result = new MatchResult(matchId, MatchKind.LOBBY, null, t, t + 30_000,
            List.of(new PlayerResult(users.get(0), "ann", 1, 900, 1, 1, 1, false),
                new PlayerResult(users.get(1), "bob", 2, 0, 0, 0, 0, true)),
            List.of(new QuestionResult(0, fromBank, t + 3000, t + 13_000,
                    List.of(new AnswerRecord(users.get(0), 2, true, 900, 1234, t + 4234, 1))),
                new QuestionResult(1, deletedSince, t + 14_000, t + 24_000, List.of())));

        assertThat(await(results.save(result))).isTrue();

        List<Row> rows = new ArrayList<>();
        await(pool.preparedQuery("""
            SELECT question_index, question_id, category_id, difficulty, text, options, correct_option, opened_at
            FROM match_questions WHERE match_id = $1 ORDER BY question_index""").execute(Tuple.of(matchId)))
            .forEach(rows::add);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getLong("question_id")).isEqualTo(bankQuestionId);
        assertThat(rows.get(0).getString("text")).isEqualTo("Bank question?");
        assertThat(Arrays.asList(rows.get(0).getArrayOfStrings("options"))).containsExactly("x", "y", "z");
        assertThat(rows.get(0).getShort("correct_option")).isEqualTo((short) 2);
        assertThat(rows.get(0).getOffsetDateTime("opened_at").toInstant().toEpochMilli()).isEqualTo(t + 3000);
        // The bank no longer has it, but the match keeps its own copy.
        assertThat(rows.get(1).getLong("question_id")).isNull();
        assertThat(rows.get(1).getString("text")).isEqualTo("Deleted question?");

        Row match = await(pool.preparedQuery("SELECT kind, category_id, question_count FROM matches WHERE id = $1")
            .execute(Tuple.of(matchId))).iterator().next();
        assertThat(match.getString("kind")).isEqualTo("lobby");
        assertThat(match.getString("category_id")).isNull();
        assertThat(match.getInteger("question_count")).isEqualTo(2);
        Row answer = await(pool.preparedQuery(
            "SELECT option, correct, points, streak, elapsed_ms, answered_at FROM match_answers WHERE match_id = $1")
            .execute(Tuple.of(matchId))).iterator().next();
        assertThat(answer.getShort("option")).isEqualTo((short) 2);
        assertThat(answer.getBoolean("correct")).isTrue();
        assertThat(answer.getInteger("points")).isEqualTo(900);
        assertThat(answer.getInteger("elapsed_ms")).isEqualTo(1234);
        assertThat(answer.getOffsetDateTime("answered_at").toInstant().toEpochMilli()).isEqualTo(t + 4234);
    }

    @Test
    void writesABigMatchInBatches() {
        List<UUID> users = users(12);
        MatchResult result = TestMatches.match(UUID.randomUUID(), 1_700_000_300_000L, 15, users);

        assertThat(await(results.save(result))).isTrue();

        assertThat(counts(result.matchId(), users.get(11))).containsExactly(1L, 12L, 15L, 180L, 1L);
    }

    @Test
    void skipsAPlayerWhoseAccountIsGoneAndKeepsTheOthers() {
        List<UUID> users = new ArrayList<>(users(2));
        users.add(UUID.randomUUID());
        MatchResult result = TestMatches.match(UUID.randomUUID(), 1_700_000_400_000L, 2, users);

        assertThat(await(results.save(result))).isTrue();

        assertThat(counts(result.matchId(), users.get(0))).containsExactly(1L, 2L, 2L, 4L, 1L);
        assertThat(await(pool.preparedQuery("SELECT count(*) FROM player_stats WHERE user_id = $1")
            .execute(Tuple.of(users.get(2)))).iterator().next().getLong(0)).isZero();
    }

    @Test
    void manyResultsOfTheSamePlayersHandedInAtOnceAddUpInTheirStats() {
        List<UUID> users = users(3);
        List<MatchResult> played = IntStream.range(0, 6)
            .mapToObj(i -> TestMatches.match(UUID.randomUUID(), 1_700_000_500_000L + i * 60_000L, 3, users)).toList();

        List<Future<Boolean>> saves = played.stream().map(results::save).toList();

        assertThat(await(Future.all(saves)).list()).containsOnly(true);
        for (MatchResult result : played) {
            assertThat(counts(result.matchId(), users.get(2))).containsExactly(1L, 3L, 3L, 9L, 1L);
        }
        Row stats = statsOf(users.get(2));
        int score = played.get(0).players().get(2).score();
        assertThat(stats.getInteger("matches_played")).isEqualTo(6);
        assertThat(stats.getLong("total_score")).isEqualTo(6L * score);
        assertThat(stats.getInteger("best_score")).isEqualTo(score);
        assertThat(stats.getInteger("questions_answered")).isEqualTo(18);
        assertThat(stats.getOffsetDateTime("last_played_at").toInstant().toEpochMilli())
            .isEqualTo(played.get(5).finishedAt());
    }

    @Test
    void aResultPostgresqlRefusesDoesNotHoldBackTheOthersHandedInWithIt() {
        List<UUID> users = users(2);
        MatchResult first = TestMatches.match(UUID.randomUUID(), 1_700_000_900_000L, 2, users);
        MatchResult whole = TestMatches.match(UUID.randomUUID(), 1_700_000_960_000L, 2, users);
        // The same question twice breaks match_questions' primary key: PostgreSQL refuses the result.
        MatchResult broken = new MatchResult(whole.matchId(), whole.kind(), whole.category(), whole.startedAt(),
            whole.finishedAt(), whole.players(), List.of(whole.questions().get(0), whole.questions().get(0)));
        MatchResult after = TestMatches.match(UUID.randomUUID(), 1_700_001_020_000L, 2, users);

        Future<Boolean> savingFirst = results.save(first);
        Future<Boolean> savingBroken = results.save(broken);
        Future<Boolean> savingAfter = results.save(after);

        assertThat(await(savingFirst)).isTrue();
        assertThat(await(savingAfter)).isTrue();
        assertThat(await(savingBroken.map(true).otherwise(false))).as("the broken result fails").isFalse();
        assertThat(counts(after.matchId(), users.get(0))).containsExactly(1L, 2L, 2L, 4L, 1L);
        assertThat(counts(broken.matchId(), users.get(0)).subList(0, 4)).containsOnly(0L);
        assertThat(statsOf(users.get(0)).getInteger("matches_played")).isEqualTo(2);
    }

    @Test
    void aTransactionLeftWaitingDoesNotHoldBackOtherResults() {
        List<UUID> held = users(2);
        MatchResult waiting = TestMatches.match(UUID.randomUUID(), 1_700_001_100_000L, 2, held);
        MatchResult other = TestMatches.match(UUID.randomUUID(), 1_700_001_160_000L, 2, users(2));
        // A transaction that keeps a player's row locked, as a store that stopped answering would keep
        // the first result's transaction waiting.
        SqlConnection holding = await(pool.getConnection());
        Transaction lock = await(holding.begin());
        await(holding.preparedQuery("SELECT 1 FROM users WHERE id = $1 FOR UPDATE").execute(Tuple.of(held.get(0))));
        Future<Boolean> savingWaiting;
        try {
            savingWaiting = results.save(waiting);
            assertThat(await(results.save(other))).as("stored while the other waits").isTrue();
            assertThat(savingWaiting.isComplete()).isFalse();
        } finally {
            await(lock.rollback());
            await(holding.close());
        }
        assertThat(await(savingWaiting)).isTrue();
        assertThat(counts(waiting.matchId(), held.get(0))).containsExactly(1L, 2L, 2L, 4L, 1L);
    }

    @Test
    void resultsHandedInWithinTheBatchWindowShareOneTransaction() throws InterruptedException {
        MatchResultStore batching = new MatchResultStore(pool, vertx, Duration.ofSeconds(2));
        List<UUID> users = users(2);
        MatchResult first = TestMatches.match(UUID.randomUUID(), 1_700_001_200_000L, 2, users);
        MatchResult second = TestMatches.match(UUID.randomUUID(), 1_700_001_260_000L, 2, users(2));

        Future<Boolean> savingFirst = batching.save(first);
        Thread.sleep(100);
        assertThat(savingFirst.isComplete()).as("the first waits for company").isFalse();
        Future<Boolean> savingSecond = batching.save(second);

        assertThat(await(savingFirst)).isTrue();
        assertThat(await(savingSecond)).isTrue();
        assertThat(counts(first.matchId(), users.get(0))).containsExactly(1L, 2L, 2L, 4L, 1L);
        List<String> writers = new ArrayList<>();
        await(pool.preparedQuery("SELECT xmin::text FROM matches WHERE id = ANY($1)")
            .execute(Tuple.of((Object) new UUID[] {first.matchId(), second.matchId()})))
            .forEach(row -> writers.add(row.getString(0)));
        assertThat(writers).as("the transactions that wrote the two matches").hasSize(2).containsOnly(writers.get(0));
    }

    @Test
    void answersOfResultsSharingATransactionComeBackOneByOneAsPlayed() {
        MatchResultStore batching = new MatchResultStore(pool, vertx, Duration.ofSeconds(3));
        List<UUID> quiet = users(3);
        MatchResult full = TestMatches.match(UUID.randomUUID(), 1_700_001_300_000L, 3, users(2));
        MatchResult played = TestMatches.match(UUID.randomUUID(), 1_700_001_360_000L, 3, quiet);
        // quiet.get(1) answers nothing; quiet.get(2) answers question 1 only.
        List<QuestionResult> gaps = played.questions().stream().map(q -> new QuestionResult(q.index(), q.question(),
            q.openedAt(), q.closedAt(), q.answers().stream()
                .filter(a -> !a.userId().equals(quiet.get(1)) && (q.index() == 1 || !a.userId().equals(quiet.get(2))))
                .toList())).toList();
        MatchResult withGaps = new MatchResult(played.matchId(), played.kind(), played.category(), played.startedAt(),
            played.finishedAt(), played.players(), gaps);
        MatchResult last = TestMatches.match(UUID.randomUUID(), 1_700_001_420_000L, 2, users(4));

        List<Future<Boolean>> saves = List.of(batching.save(full), batching.save(withGaps), batching.save(last));

        assertThat(await(Future.all(saves)).list()).containsOnly(true);
        List<String> writers = new ArrayList<>();
        await(pool.preparedQuery("SELECT xmin::text FROM matches WHERE id = ANY($1)")
            .execute(Tuple.of((Object) new UUID[] {full.matchId(), withGaps.matchId(), last.matchId()})))
            .forEach(row -> writers.add(row.getString(0)));
        assertThat(writers).as("one transaction wrote the three").hasSize(3).containsOnly(writers.get(0));
        for (MatchResult result : List.of(full, withGaps, last)) {
            assertThat(storedAnswers(result.matchId())).as("answers of %s", result.matchId())
                .containsExactlyElementsOf(answersOf(result));
        }
        assertThat(await(pool.preparedQuery("SELECT user_id FROM match_player_answers WHERE match_id = $1")
            .execute(Tuple.of(withGaps.matchId()))).rowCount()).as("rows: one per player who answered").isEqualTo(2);
    }

    /** A match's answers as stored, one line each, by question then player. */
    private static List<String> storedAnswers(UUID matchId) {
        List<String> lines = new ArrayList<>();
        await(pool.preparedQuery("""
            SELECT question_index, user_id, option, correct, points, streak, elapsed_ms, answered_at
            FROM match_answers WHERE match_id = $1 ORDER BY question_index, user_id::text""").execute(Tuple.of(matchId)))
            .forEach(row -> lines.add(row.getShort(0) + " " + row.getUUID(1) + " " + row.getShort(2) + " "
                + row.getBoolean(3) + " " + row.getInteger(4) + " " + row.getInteger(5) + " " + row.getInteger(6) + " "
                + row.getOffsetDateTime(7).toInstant().toEpochMilli()));
        return lines;
    }

    /** What {@link #storedAnswers} must read for {@code result}. */
    private static List<String> answersOf(MatchResult result) {
        List<String> lines = new ArrayList<>();
        for (QuestionResult q : result.questions()) {
            q.answers().stream().sorted(Comparator.comparing(a -> a.userId().toString()))
                .forEach(a -> lines.add(q.index() + " " + a.userId() + " " + a.option() + " " + a.correct() + " "
                    + a.points() + " " + a.streak() + " " + a.elapsedMs() + " " + a.answeredAt()));
        }
        return lines;
    }

    private static long insertScienceQuestion() {
        await(pool.query("INSERT INTO categories (id, name) VALUES ('science', 'Science') ON CONFLICT DO NOTHING")
            .execute());
        return await(pool.query("""
            INSERT INTO questions (category_id, difficulty, text, options, correct_option)
            VALUES ('science', 'hard', 'Bank question?', '{x,y,z}', 2) RETURNING id""").execute())
            .iterator().next().getLong(0);
    }

    /** matches, match_players, match_questions, match_answers rows of the match; stats rows of {@code user}. */
    private static List<Long> counts(UUID matchId, UUID user) {
        Row row = await(pool.preparedQuery("""
            SELECT (SELECT count(*) FROM matches WHERE id = $1),
                   (SELECT count(*) FROM match_players WHERE match_id = $1),
                   (SELECT count(*) FROM match_questions WHERE match_id = $1),
                   (SELECT count(*) FROM match_answers WHERE match_id = $1),
                   (SELECT count(*) FROM player_stats WHERE user_id = $2)""").execute(Tuple.of(matchId, user)))
            .iterator().next();
        return List.of(row.getLong(0), row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
    }

    private static Row statsOf(UUID user) {
        return await(pool.preparedQuery("SELECT * FROM player_stats WHERE user_id = $1").execute(Tuple.of(user)))
            .iterator().next();
    }

    private static List<UUID> users(int count) {
        return IntStream.range(0, count).mapToObj(i -> insertUser(pool, "u" + UUID.randomUUID())).toList();
    }
}
