package org.quizengine.bench.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.leaderboard.LeaderboardKeys;
import org.quizengine.api.leaderboard.LeaderboardStore;
import org.quizengine.api.leaderboard.Period;
import org.quizengine.api.storage.StorageOptions;
import org.quizengine.api.storage.Stores;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.AnswerRecord;
import org.quizengine.shared.match.MatchResult.PlayerResult;
import org.quizengine.shared.match.MatchResult.QuestionResult;
import org.quizengine.shared.match.QuestionSpec;

/**
 * The audit against real embedded PostgreSQL and Redis, written to the way the engine writes them.
 * Every test plays its own users, so the tests share the stores without seeing each other's scores.
 */
class StoreAuditTest {
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration SHORT_SETTLE = Duration.ofSeconds(1);
    private static final int POINTS_PER_ANSWER = 100;

    @TempDir
    static Path dataDir;
    private static Vertx vertx;
    private static Stores stores;
    private static MatchResultStore results;
    private static LeaderboardStore leaderboards;
    private static StoreAudit audit;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        stores = await(Stores.start(vertx, StorageOptions.embedded(dataDir)));
        results = new MatchResultStore(stores.pool());
        leaderboards = new LeaderboardStore(stores.redis());
        audit = new StoreAudit(vertx, stores.postgresUri(), stores.redisUri());
    }

    @AfterAll
    static void stop() {
        await(audit.close());
        await(stores.close());
        await(vertx.close());
    }

    @Test
    void aCleanRunHasNoProblems() {
        Run run = playTwoMatches();
        // On no board and without stats: absent must read as zero.
        Set<UUID> players = run.players();
        players.addAll(insertUsers(1));

        JsonObject report = await(audit.run(run.acknowledged(), players, SETTLE));

        assertThat(report.getLong("matchesFinished")).isEqualTo(2);
        assertThat(report.getLong("matchesStored")).isEqualTo(2);
        assertThat(report.getLong("answersAcknowledged")).isEqualTo(13);
        assertThat(report.getLong("answersStored")).isEqualTo(13);
        assertThat(report.getLong("leaderboardPlayersChecked")).isEqualTo(4);
        assertNoProblems(report);
    }

    @Test
    void aResultStillOnItsWayIsWaitedFor() {
        List<UUID> users = insertUsers(2);
        MatchResult late = match(users, 2);
        vertx.setTimer(1200, timer -> store(late));

        JsonObject report = await(audit.run(Map.of(late.matchId(), 4), Set.copyOf(users), SETTLE));

        assertThat(report.getDouble("settleSeconds")).isGreaterThanOrEqualTo(1.0);
        assertThat(report.getLong("matchesStored")).isEqualTo(1);
        assertNoProblems(report);
    }

    @Test
    void aFinishedMatchThatWasNeverStoredIsLost() {
        Run run = playTwoMatches();
        UUID neverStored = UUID.randomUUID();
        Map<UUID, Integer> acknowledged = new HashMap<>(run.acknowledged());
        acknowledged.put(neverStored, 3);

        JsonObject report = await(audit.run(acknowledged, run.players(), SHORT_SETTLE));

        assertThat(report.getLong("matchesFinished")).isEqualTo(3);
        assertThat(report.getLong("matchesStored")).isEqualTo(2);
        assertThat(report.getLong("lost")).isEqualTo(1);
        assertThat(report.getLong("matchesNotOnLeaderboards")).isEqualTo(1);
        assertThat(report.getDouble("settleSeconds")).isGreaterThanOrEqualTo(1.0);
        assertThat(examples(report)).anySatisfy(example -> assertThat(example)
            .contains(neverStored.toString()).contains("not stored"));
        // Named, so a chaos run can tell which fault's stretch of the run lost it.
        assertThat(report.getJsonArray("lostMatchIds")).containsExactly(neverStored.toString());
        assertThat(report.getJsonArray("duplicatedMatchIds")).isEmpty();
    }

    @Test
    void aScoreChangedBehindTheEnginesBackIsAMismatch() {
        Run run = playTwoMatches();
        UUID cheater = run.users().get(1);
        String board = Period.ALL.boardId(Instant.now());
        String member = await(stores.redis().hget(LeaderboardKeys.members(board), cheater.toString())).toString();
        await(stores.redis().zincrby(LeaderboardKeys.board(board), "250", member));

        JsonObject report = await(audit.run(run.acknowledged(), run.players(), SETTLE));

        assertThat(report.getLong("leaderboardMismatches")).isEqualTo(1);
        assertThat(report.getLong("statsMismatches")).isZero();
        assertThat(examples(report)).anySatisfy(example -> assertThat(example)
            .contains(cheater.toString()).contains(board));
    }

    @Test
    void moreAnswersAcknowledgedThanStoredAreMissing() {
        Run run = playTwoMatches();
        Map<UUID, Integer> acknowledged = new HashMap<>(run.acknowledged());
        acknowledged.merge(run.first().matchId(), 2, Integer::sum);

        JsonObject report = await(audit.run(acknowledged, run.players(), SETTLE));

        assertThat(report.getLong("answersAcknowledged")).isEqualTo(15);
        assertThat(report.getLong("answersStored")).isEqualTo(13);
        assertThat(report.getLong("answersMissing")).isEqualTo(2);
        assertThat(report.getLong("answersUnexpected")).isZero();
        assertThat(examples(report)).anySatisfy(example -> assertThat(example)
            .contains(run.first().matchId().toString()).contains("11 answers acknowledged, 9 stored"));
    }

    @Test
    void anUnreachableStoreFailsTheAudit() {
        StoreAudit unreachable = new StoreAudit(vertx, "postgresql://nobody:secret@127.0.0.1:1/none", stores.redisUri());
        try {
            Throwable failure = failureOf(unreachable.run(Map.of(UUID.randomUUID(), 1), Set.of(), SHORT_SETTLE));
            assertThat(failure).hasMessageContaining("could not read PostgreSQL at 127.0.0.1:1/none")
                .hasMessageNotContaining("secret");
        } finally {
            await(unreachable.close());
        }
    }

    private static void assertNoProblems(JsonObject report) {
        for (String count : List.of("lost", "matchesNotOnLeaderboards", "duplicated", "answersMissing",
            "answersUnexpected", "leaderboardMismatches", "statsMismatches")) {
            assertThat(report.getLong(count)).as(count).isZero();
        }
        assertThat(examples(report)).isEmpty();
    }

    /** Three users: all play a 3-question match (9 answers), the first two a 2-question one (4 answers). */
    private static Run playTwoMatches() {
        List<UUID> users = insertUsers(3);
        MatchResult first = match(users, 3);
        MatchResult second = match(users.subList(0, 2), 2);
        await(store(first));
        await(store(second));
        return new Run(users, first, Map.of(first.matchId(), 9, second.matchId(), 4));
    }

    /** As the engine's result outbox does: PostgreSQL first, then the leaderboards. */
    private static Future<Boolean> store(MatchResult result) {
        return results.save(result).compose(saved -> leaderboards.apply(result));
    }

    private static List<UUID> insertUsers(int count) {
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            await(stores.pool().preparedQuery("INSERT INTO users (id, username, email, password_hash)"
                + " VALUES ($1, $2, $3, 'x')").execute(Tuple.of(id, "u" + id, id + "@example.test")));
            users.add(id);
        }
        return users;
    }

    /**
     * A match that just finished, in which every player answers every question right; player
     * {@code i} earns {@code (i + 1) * 100} points an answer, so later players rank higher.
     */
    private static MatchResult match(List<UUID> users, int questionCount) {
        UUID matchId = UUID.randomUUID();
        long finishedAt = System.currentTimeMillis();
        long startedAt = finishedAt - 10_000L * questionCount;
        List<QuestionResult> questions = new ArrayList<>();
        for (int q = 0; q < questionCount; q++) {
            long openedAt = startedAt + 10_000L * q;
            List<AnswerRecord> answers = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                answers.add(new AnswerRecord(users.get(i), 0, true, (i + 1) * POINTS_PER_ANSWER, 1000,
                    openedAt + 1000, q + 1));
            }
            QuestionSpec spec = new QuestionSpec(q + 1, "science", "easy", "Question " + q + " of " + matchId,
                List.of("right", "wrong"), 0);
            questions.add(new QuestionResult(q, spec, openedAt, openedAt + 8000, answers));
        }
        List<PlayerResult> players = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            players.add(new PlayerResult(users.get(i), "player" + i, users.size() - i,
                (i + 1) * POINTS_PER_ANSWER * questionCount, questionCount, questionCount, questionCount, false));
        }
        return new MatchResult(matchId, MatchKind.QUICK, "science", startedAt, finishedAt, players, questions);
    }

    private static List<String> examples(JsonObject report) {
        List<String> examples = new ArrayList<>();
        report.getJsonArray("examples").forEach(example -> examples.add((String) example));
        return examples;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("Future failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Throwable failureOf(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("Expected the future to fail, but it succeeded");
    }

    /** What the simulated players of one test saw. */
    private record Run(List<UUID> users, MatchResult first, Map<UUID, Integer> acknowledged) {
        Set<UUID> players() {
            return new HashSet<>(users);
        }
    }
}
