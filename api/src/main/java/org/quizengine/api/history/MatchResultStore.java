package org.quizengine.api.history;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.AnswerRecord;
import org.quizengine.shared.match.MatchResult.PlayerResult;
import org.quizengine.shared.match.MatchResult.QuestionResult;
import org.quizengine.shared.match.QuestionSpec;

/**
 * Writes finished matches to PostgreSQL: the match, its players, the questions as they were asked,
 * every answer, and each player's lifetime stats, all in one transaction.
 *
 * <p>Results are retried until stored, so a write must be idempotent: the {@code matches} row is
 * inserted with {@code ON CONFLICT DO NOTHING}, and everything else (stats above all) is written
 * only by the transaction that inserted it.
 */
public final class MatchResultStore {

    static final String INSERT_MATCH = """
        INSERT INTO matches (id, kind, category_id, question_count, started_at, finished_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (id) DO NOTHING
        RETURNING id""";

    // An account deletion (which updates the user's row) and this save wait for each other, so the
    // deletion's anonymising sees every row this save writes, or this save sees the account deleted.
    static final String LOCK_PLAYERS = "SELECT 1 FROM users WHERE id = ANY($1) ORDER BY id FOR SHARE";

    // Rows for users that no longer exist (an account deleted while its match was being saved)
    // are skipped rather than failing the whole match for everyone else; hence INSERT ... SELECT
    // FROM users. An anonymised (deleted) account is recorded under its anonymous name.
    // The casts are needed because parameters in a SELECT list have no type of their own.
    static final String INSERT_PLAYER = """
        INSERT INTO match_players (match_id, user_id, username, finished_at, rank, score, correct_answers,
                                   answered_questions, best_streak, left_match)
        SELECT $1::uuid, u.id, CASE WHEN u.deleted_at IS NULL THEN $3::text ELSE u.username END, $4::timestamptz, $5::int, $6::int, $7::int, $8::int, $9::int, $10::boolean
        FROM users u WHERE u.id = $2""";

    // The question may have been deleted from the bank since it was asked; the match keeps its own
    // copy of the text, so the reference becomes NULL instead of failing the foreign key.
    static final String INSERT_QUESTION = """
        INSERT INTO match_questions (match_id, question_index, question_id, category_id, difficulty, text,
                                     options, correct_option, opened_at, closed_at)
        VALUES ($1, $2, (SELECT q.id FROM questions q WHERE q.id = $3), $4, $5, $6, $7, $8, $9, $10)""";

    static final String INSERT_ANSWER = """
        INSERT INTO match_answers (match_id, question_index, user_id, option, correct, points, streak, elapsed_ms,
                                   answered_at)
        SELECT $1::uuid, $2::smallint, u.id, $4::smallint, $5::boolean, $6::int, $7::int, $8::int, $9::timestamptz
        FROM users u WHERE u.id = $3""";

    static final String UPSERT_STATS = """
        INSERT INTO player_stats AS s (user_id, matches_played, wins, total_score, best_score, questions_answered,
                                       correct_answers, best_streak, last_played_at)
        SELECT u.id, 1, $2::int, $3::bigint, $4::int, $5::int, $6::int, $7::int, $8::timestamptz
        FROM users u WHERE u.id = $1 AND u.deleted_at IS NULL
        ON CONFLICT (user_id) DO UPDATE SET
          matches_played     = s.matches_played + 1,
          wins               = s.wins + EXCLUDED.wins,
          total_score        = s.total_score + EXCLUDED.total_score,
          best_score         = GREATEST(s.best_score, EXCLUDED.best_score),
          questions_answered = s.questions_answered + EXCLUDED.questions_answered,
          correct_answers    = s.correct_answers + EXCLUDED.correct_answers,
          best_streak        = GREATEST(s.best_streak, EXCLUDED.best_streak),
          last_played_at     = GREATEST(s.last_played_at, EXCLUDED.last_played_at)""";

    private final Pool pool;

    public MatchResultStore(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Whether a result of {@code matchId} is stored. */
    public Future<Boolean> isStored(UUID matchId) {
        return pool.preparedQuery("SELECT 1 FROM matches WHERE id = $1").execute(Tuple.of(matchId))
            .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Stores {@code result} once.
     *
     * @return {@code true} when it was written now, {@code false} when it was already stored (and
     *     nothing changed)
     */
    public Future<Boolean> save(MatchResult result) {
        Objects.requireNonNull(result, "result");
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT_MATCH).execute(matchTuple(result))
            .compose(inserted -> {
                if (inserted.rowCount() == 0) {
                    return Future.succeededFuture(false);
                }
                return writeDetails(conn, result).map(true);
            }));
    }

    private static Future<Void> writeDetails(SqlConnection conn, MatchResult result) {
        UUID[] players = result.players().stream().map(PlayerResult::userId).toArray(UUID[]::new);
        return conn.preparedQuery(LOCK_PLAYERS).execute(Tuple.of((Object) players))
            .compose(locked -> batch(conn, INSERT_PLAYER, playerTuples(result)))
            .compose(done -> batch(conn, INSERT_QUESTION, questionTuples(result)))
            .compose(done -> batch(conn, INSERT_ANSWER, answerTuples(result)))
            .compose(done -> batch(conn, UPSERT_STATS, statsTuples(result)));
    }

    private static Future<Void> batch(SqlConnection conn, String sql, List<Tuple> tuples) {
        // The PostgreSQL client rejects an empty batch; a match without answers is legitimate.
        if (tuples.isEmpty()) {
            return Future.succeededFuture();
        }
        return conn.preparedQuery(sql).executeBatch(tuples).mapEmpty();
    }

    private static Tuple matchTuple(MatchResult result) {
        return Tuple.of(result.matchId(), result.kind().wireName(), result.category(), result.questions().size(),
            timestamp(result.startedAt()), timestamp(result.finishedAt()));
    }

    private static List<Tuple> playerTuples(MatchResult result) {
        OffsetDateTime finishedAt = timestamp(result.finishedAt());
        List<Tuple> tuples = new ArrayList<>(result.players().size());
        for (PlayerResult p : result.players()) {
            tuples.add(Tuple.of(result.matchId(), p.userId(), p.username(), finishedAt, p.rank(), p.score(),
                p.correctAnswers(), p.answeredQuestions(), p.bestStreak(), p.left()));
        }
        return tuples;
    }

    private static List<Tuple> questionTuples(MatchResult result) {
        List<Tuple> tuples = new ArrayList<>(result.questions().size());
        for (QuestionResult q : result.questions()) {
            QuestionSpec spec = q.question();
            tuples.add(Tuple.of(result.matchId(), (short) q.index(), spec.questionId(), spec.category(),
                spec.difficulty(), spec.text(), spec.options().toArray(String[]::new), (short) spec.correctOption(),
                timestamp(q.openedAt()), timestamp(q.closedAt())));
        }
        return tuples;
    }

    private static List<Tuple> answerTuples(MatchResult result) {
        List<Tuple> tuples = new ArrayList<>();
        for (QuestionResult q : result.questions()) {
            for (AnswerRecord a : q.answers()) {
                tuples.add(Tuple.of(result.matchId(), (short) q.index(), a.userId(), (short) a.option(),
                    a.correct(), a.points(), a.streak(), clampToInt(a.elapsedMs()), timestamp(a.answeredAt())));
            }
        }
        return tuples;
    }

    /**
     * In user id order: two matches saved at once that share players then lock their stats rows in
     * the same order, and cannot deadlock.
     */
    private static List<Tuple> statsTuples(MatchResult result) {
        OffsetDateTime finishedAt = timestamp(result.finishedAt());
        return result.players().stream()
            .sorted(Comparator.comparing(PlayerResult::userId))
            .map(p -> Tuple.of(p.userId(), p.rank() == 1 ? 1 : 0, (long) p.score(), p.score(),
                p.answeredQuestions(), p.correctAnswers(), p.bestStreak(), finishedAt))
            .toList();
    }

    static OffsetDateTime timestamp(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }

    private static int clampToInt(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
