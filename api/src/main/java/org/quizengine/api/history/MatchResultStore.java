package org.quizengine.api.history;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.lang.reflect.Array;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.AnswerRecord;
import org.quizengine.shared.match.MatchResult.PlayerResult;
import org.quizengine.shared.match.MatchResult.QuestionResult;
import org.quizengine.shared.match.QuestionSpec;

/**
 * Writes finished matches to PostgreSQL: the match, its players, the questions as they were asked,
 * every answer (one row per player), and each player's lifetime stats, all in one transaction.
 *
 * <p>Results are retried until stored, so a write must be idempotent: the {@code matches} row is
 * inserted with {@code ON CONFLICT DO NOTHING}, and everything else (stats above all) is written
 * only by the transaction that inserted it.
 *
 * <p>Each table gets one statement for a whole transaction, its rows passed as arrays and spread by
 * {@code unnest}, and results handed in while {@value #MAX_IN_FLIGHT} transactions run share the
 * next one (up to {@value #MAX_BATCH}): a row-by-row write cost PostgreSQL about 35 µs of CPU per
 * answer played at 10,000 players (benchmarks/RESULTS.md). With a batch window, a result also waits
 * up to that long for others to share its transaction: each transaction costs PostgreSQL and the
 * node a fixed round of statements whatever it holds, and at the rates a node finishes matches one
 * result rarely finds another waiting without it. A transaction of several results that fails is tried
 * again one result at a time, so one result PostgreSQL refuses cannot hold the others back.
 */
public final class MatchResultStore {
    /** Most results written in one transaction. */
    static final int MAX_BATCH = 32;
    /**
     * Most transactions of results under way at once: one that hangs (a store that neither answers
     * nor refuses) leaves the other to go on.
     */
    static final int MAX_IN_FLIGHT = 2;
    /**
     * How long a node's results wait for others to share their transaction. At 10,000 players (about
     * 40 matches finishing a second) it puts about eight in each; PostgreSQL's CPU per answer was 15.1
     * µs with it against 20.3 and 27.2 without, one run each on one day (benchmarks/RESULTS.md). The
     * history and the stats show a match that much later.
     */
    public static final Duration BATCH_WINDOW = Duration.ofMillis(200);

    static final String INSERT_MATCHES = """
        INSERT INTO matches (id, kind, category_id, question_count, started_at, finished_at, end_reason)
        SELECT m.id, m.kind, m.category_id, m.question_count, m.started_at, m.finished_at, m.end_reason
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::text[])
          WITH ORDINALITY AS m(id, kind, category_id, question_count, started_at, finished_at, end_reason, n)
        ORDER BY m.n
        ON CONFLICT (id) DO NOTHING
        RETURNING id""";

    // An account deletion (which updates the user's row) and this save wait for each other, so the
    // deletion's anonymising sees every row this save writes, or this save sees the account deleted.
    static final String LOCK_PLAYERS = "SELECT 1 FROM users WHERE id = ANY($1) ORDER BY id FOR SHARE";

    // Rows for users that no longer exist (an account deleted while its match was being saved)
    // are skipped rather than failing the whole match for everyone else; hence the join with users.
    // An anonymised (deleted) account is recorded under its anonymous name.
    static final String INSERT_PLAYERS = """
        INSERT INTO match_players (match_id, user_id, username, finished_at, rank, score, correct_answers,
                                   answered_questions, best_streak, left_match)
        SELECT p.match_id, u.id, CASE WHEN u.deleted_at IS NULL THEN p.username ELSE u.username END, p.finished_at,
               p.rank, p.score, p.correct_answers, p.answered_questions, p.best_streak, p.left_match
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::int[], $6::int[], $7::int[], $8::int[],
                    $9::int[], $10::boolean[])
          AS p(match_id, user_id, username, finished_at, rank, score, correct_answers, answered_questions, best_streak,
               left_match)
        JOIN users u ON u.id = p.user_id""";

    // A question missing from the bank (the match keeps its own copy of the text) is recorded with
    // a NULL reference, so every reference names a question that exists (no key checks it: V10). A
    // question's options travel as one JSON array each (arrays of arrays cannot be unnested by row).
    static final String INSERT_QUESTIONS = """
        INSERT INTO match_questions (match_id, question_index, question_id, category_id, difficulty, text,
                                     options, correct_option, opened_at, closed_at)
        SELECT x.match_id, x.question_index, q.id, x.category_id, x.difficulty, x.text,
               ARRAY(SELECT o.option FROM jsonb_array_elements_text(x.options::jsonb) WITH ORDINALITY AS o(option, n)
                     ORDER BY o.n),
               x.correct_option, x.opened_at, x.closed_at
        FROM unnest($1::uuid[], $2::smallint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
                    $8::smallint[], $9::timestamptz[], $10::timestamptz[])
          AS x(match_id, question_index, question_id, category_id, difficulty, text, options, correct_option,
               opened_at, closed_at)
        LEFT JOIN questions q ON q.id = x.question_id""";

    // A player's answers in a match are one row, element i of each array one answer (V11). The answers
    // of the whole transaction travel as flat arrays, player after player, and each player's row takes
    // its slice of them (1-based, inclusive): arrays of arrays cannot be unnested by row.
    static final String INSERT_ANSWERS = """
        INSERT INTO match_player_answers (match_id, user_id, question_index, option, correct, points, streak,
                                          elapsed_ms, answered_at)
        SELECT p.match_id, u.id, ($5::smallint[])[p.first_answer:p.last_answer],
               ($6::smallint[])[p.first_answer:p.last_answer], ($7::boolean[])[p.first_answer:p.last_answer],
               ($8::int[])[p.first_answer:p.last_answer], ($9::int[])[p.first_answer:p.last_answer],
               ($10::int[])[p.first_answer:p.last_answer], ($11::timestamptz[])[p.first_answer:p.last_answer]
        FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[]) AS p(match_id, user_id, first_answer, last_answer)
        JOIN users u ON u.id = p.user_id""";

    // One row per user (a user with several matches in the transaction has them summed first: an
    // upsert may not touch a row twice), in user id order, so two transactions that share players
    // lock their stats rows in the same order and cannot deadlock.
    static final String UPSERT_STATS = """
        INSERT INTO player_stats AS s (user_id, matches_played, wins, total_score, best_score, questions_answered,
                                       correct_answers, best_streak, last_played_at)
        SELECT u.id, x.matches_played, x.wins, x.total_score, x.best_score, x.questions_answered, x.correct_answers,
               x.best_streak, x.last_played_at
        FROM unnest($1::uuid[], $2::int[], $3::int[], $4::bigint[], $5::int[], $6::int[], $7::int[], $8::int[],
                    $9::timestamptz[]) WITH ORDINALITY
          AS x(user_id, matches_played, wins, total_score, best_score, questions_answered, correct_answers, best_streak,
               last_played_at, n)
        JOIN users u ON u.id = x.user_id AND u.deleted_at IS NULL
        ORDER BY x.n
        ON CONFLICT (user_id) DO UPDATE SET
          matches_played     = s.matches_played + EXCLUDED.matches_played,
          wins               = s.wins + EXCLUDED.wins,
          total_score        = s.total_score + EXCLUDED.total_score,
          best_score         = GREATEST(s.best_score, EXCLUDED.best_score),
          questions_answered = s.questions_answered + EXCLUDED.questions_answered,
          correct_answers    = s.correct_answers + EXCLUDED.correct_answers,
          best_streak        = GREATEST(s.best_streak, EXCLUDED.best_streak),
          last_played_at     = GREATEST(s.last_played_at, EXCLUDED.last_played_at)""";

    private final Pool pool;
    /**
     * The store's own context, for the batch window's timers: a timer set on a caller's context would
     * be cancelled with the caller's verticle. Null without a batch window.
     */
    private final ContextInternal timers;
    private final long windowNanos;
    /** Results handed in and not yet in a transaction, by match, in the order they came. */
    private final Map<UUID, Pending> queued = new LinkedHashMap<>();
    /** Transactions of queued results under way (guarded by {@link #queued}). */
    private int inFlight;
    /** The timer that ends the oldest queued result's batch window; -1 when none is set (guarded by {@link #queued}). */
    private long windowTimer = -1;

    /** A store that starts a transaction as soon as one can start. */
    public MatchResultStore(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.timers = null;
        this.windowNanos = 0;
    }

    /**
     * A store whose results wait up to {@code window} after they are handed in for others to share
     * their transaction, unless {@value #MAX_BATCH} are waiting.
     */
    public MatchResultStore(Pool pool, Vertx vertx, Duration window) {
        this.pool = Objects.requireNonNull(pool, "pool");
        if (window.isNegative()) {
            throw new IllegalArgumentException("the batch window must not be negative: " + window);
        }
        this.timers = ((VertxInternal) Objects.requireNonNull(vertx, "vertx")).createEventLoopContext();
        this.windowNanos = window.toNanos();
    }

    /** Whether a result of {@code matchId} is stored. */
    public Future<Boolean> isStored(UUID matchId) {
        return pool.preparedQuery("SELECT 1 FROM matches WHERE id = $1").execute(Tuple.of(matchId))
            .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Stores {@code result} once, in the next transaction (which other results handed in meanwhile
     * may share). The returned future completes on the caller's context, if it has one.
     *
     * @return {@code true} when it was written now, {@code false} when it was already stored (and
     *     nothing changed)
     */
    public Future<Boolean> save(MatchResult result) {
        Objects.requireNonNull(result, "result");
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        Promise<Boolean> written = context == null ? Promise.promise() : context.promise();
        Future<Boolean> earlier;
        synchronized (queued) {
            Pending waiting = queued.get(result.matchId());
            earlier = waiting == null ? null : waiting.written().future();
            if (waiting == null) {
                queued.put(result.matchId(), new Pending(result, written, System.nanoTime()));
            }
        }
        if (earlier != null) {
            // A retry of a result still waiting for its transaction rides on the first hand-in.
            earlier.map(false).onComplete(written);
        }
        writeQueued();
        return written.future();
    }

    /**
     * Starts a transaction of what is queued unless {@value #MAX_IN_FLIGHT} are under way or the
     * oldest result queued is still in its batch window (then the window's end starts it); each one
     * that ends starts the next.
     */
    private void writeQueued() {
        List<Pending> batch = new ArrayList<>();
        synchronized (queued) {
            if (inFlight >= MAX_IN_FLIGHT || queued.isEmpty()) {
                return;
            }
            long windowLeft = windowNanos - (System.nanoTime() - queued.values().iterator().next().queuedAt());
            if (queued.size() < MAX_BATCH && windowLeft > 0) {
                endWindowIn(windowLeft);
                return;
            }
            Iterator<Pending> waiting = queued.values().iterator();
            while (waiting.hasNext() && batch.size() < MAX_BATCH) {
                batch.add(waiting.next());
                waiting.remove();
            }
            inFlight++;
        }
        Future<Void> done;
        try {
            done = write(batch);
        } catch (RuntimeException e) { // a closed pool, say: the batch fails, the queue goes on
            batch.forEach(pending -> pending.written().tryFail(e));
            done = Future.succeededFuture();
        }
        done.onComplete(v -> {
            synchronized (queued) {
                inFlight--;
            }
            writeQueued();
        });
    }

    /** Sets the timer that ends the oldest result's batch window, unless one is set. Called holding {@link #queued}. */
    private void endWindowIn(long nanos) {
        if (windowTimer < 0) {
            windowTimer = timers.setTimer(ceilMillis(nanos), id -> {
                synchronized (queued) {
                    windowTimer = -1;
                }
                writeQueued();
            });
        }
    }

    /** One transaction for the batch; if it fails and holds several results, one for each of them. */
    private Future<Void> write(List<Pending> batch) {
        return transaction(batch).recover(failed -> {
            if (batch.size() == 1) {
                batch.get(0).written().tryFail(failed);
                return Future.succeededFuture();
            }
            Future<Void> oneByOne = Future.succeededFuture();
            for (Pending pending : batch) {
                oneByOne = oneByOne.compose(v -> writeAlone(pending));
            }
            return oneByOne;
        });
    }

    /** Writes one result in a transaction of its own; a pool that refuses at once fails that result only. */
    private Future<Void> writeAlone(Pending pending) {
        try {
            return write(List.of(pending));
        } catch (RuntimeException e) {
            pending.written().tryFail(e);
            return Future.succeededFuture();
        }
    }

    /**
     * Writes the batch's results that are not stored yet and completes every one of them: {@code true}
     * for those written now, {@code false} for those already stored. Matches are inserted in id order,
     * so two transactions holding the same matches (two nodes retrying results while a store was
     * down) wait for each other instead of deadlocking.
     */
    private Future<Void> transaction(List<Pending> batch) {
        Map<UUID, MatchResult> byId = new TreeMap<>();
        batch.forEach(pending -> byId.putIfAbsent(pending.result().matchId(), pending.result()));
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT_MATCHES).execute(matchColumns(byId.values()))
            .compose(inserted -> {
                Set<UUID> written = new HashSet<>();
                inserted.forEach(row -> written.add(row.getUUID(0)));
                List<MatchResult> fresh = byId.values().stream().filter(r -> written.contains(r.matchId())).toList();
                return (fresh.isEmpty() ? Future.<Void>succeededFuture() : writeDetails(conn, fresh)).map(written);
            }))
            .map(written -> {
                Set<UUID> claimed = new HashSet<>();
                for (Pending pending : batch) {
                    UUID id = pending.result().matchId();
                    pending.written().tryComplete(written.contains(id) && claimed.add(id));
                }
                return null;
            });
    }

    private static Future<Void> writeDetails(SqlConnection conn, List<MatchResult> results) {
        UUID[] players = results.stream().flatMap(r -> r.players().stream()).map(PlayerResult::userId).distinct()
            .toArray(UUID[]::new);
        return conn.preparedQuery(LOCK_PLAYERS).execute(Tuple.of((Object) players))
            .compose(locked -> conn.preparedQuery(INSERT_PLAYERS).execute(playerColumns(results)))
            .compose(done -> conn.preparedQuery(INSERT_QUESTIONS).execute(questionColumns(results)))
            .compose(done -> conn.preparedQuery(INSERT_ANSWERS).execute(answerColumns(results)))
            .compose(done -> conn.preparedQuery(UPSERT_STATS).execute(statsColumns(results)))
            .mapEmpty();
    }

    private static long ceilMillis(long nanos) {
        return Math.max(1, (nanos + TimeUnit.MILLISECONDS.toNanos(1) - 1) / TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** A result waiting for its transaction, what its caller is told, and when it was handed in ({@link System#nanoTime}). */
    private record Pending(MatchResult result, Promise<Boolean> written, long queuedAt) {
    }

    /** Rows to pass column by column: one array per column, all of the same length. */
    private static final class Columns {
        private final List<List<Object>> columns = new ArrayList<>();

        Columns(int count) {
            for (int i = 0; i < count; i++) {
                columns.add(new ArrayList<>());
            }
        }

        void row(Object... values) {
            for (int i = 0; i < values.length; i++) {
                columns.get(i).add(values[i]);
            }
        }

        /** The columns as a tuple of typed arrays, in the order of {@code types}. */
        Tuple tuple(Class<?>... types) {
            return addTo(Tuple.tuple(), types);
        }

        /** Adds the columns to {@code tuple} as typed arrays, in the order of {@code types}. */
        Tuple addTo(Tuple tuple, Class<?>... types) {
            for (int i = 0; i < types.length; i++) {
                List<Object> column = columns.get(i);
                tuple.addValue(column.toArray((Object[]) Array.newInstance(types[i], column.size())));
            }
            return tuple;
        }
    }

    private static Tuple matchColumns(Collection<MatchResult> results) {
        Columns c = new Columns(7);
        for (MatchResult r : results) {
            c.row(r.matchId(), r.kind().wireName(), r.category(), r.questions().size(), timestamp(r.startedAt()),
                timestamp(r.finishedAt()), r.endReason());
        }
        return c.tuple(UUID.class, String.class, String.class, Integer.class, OffsetDateTime.class, OffsetDateTime.class,
            String.class);
    }

    private static Tuple playerColumns(List<MatchResult> results) {
        Columns c = new Columns(10);
        for (MatchResult r : results) {
            OffsetDateTime finishedAt = timestamp(r.finishedAt());
            for (PlayerResult p : r.players()) {
                c.row(r.matchId(), p.userId(), p.username(), finishedAt, p.rank(), p.score(), p.correctAnswers(),
                    p.answeredQuestions(), p.bestStreak(), p.left());
            }
        }
        return c.tuple(UUID.class, UUID.class, String.class, OffsetDateTime.class, Integer.class, Integer.class,
            Integer.class, Integer.class, Integer.class, Boolean.class);
    }

    private static Tuple questionColumns(List<MatchResult> results) {
        Columns c = new Columns(10);
        for (MatchResult r : results) {
            for (QuestionResult q : r.questions()) {
                QuestionSpec spec = q.question();
                c.row(r.matchId(), (short) q.index(), spec.questionId(), spec.category(), spec.difficulty(), spec.text(),
                    new JsonArray(spec.options()).encode(), (short) spec.correctOption(), timestamp(q.openedAt()),
                    timestamp(q.closedAt()));
            }
        }
        return c.tuple(UUID.class, Short.class, Long.class, String.class, String.class, String.class, String.class,
            Short.class, OffsetDateTime.class, OffsetDateTime.class);
    }

    /** For {@link #INSERT_ANSWERS}: each player's slice of the answers, then the answers, player after player. */
    private static Tuple answerColumns(List<MatchResult> results) {
        Columns players = new Columns(4);
        Columns answers = new Columns(7);
        int count = 0;
        for (MatchResult r : results) {
            Map<UUID, List<QuestionAnswer>> byPlayer = new LinkedHashMap<>();
            for (QuestionResult q : r.questions()) {
                for (AnswerRecord a : q.answers()) {
                    byPlayer.computeIfAbsent(a.userId(), user -> new ArrayList<>()).add(new QuestionAnswer(q.index(), a));
                }
            }
            for (Map.Entry<UUID, List<QuestionAnswer>> player : byPlayer.entrySet()) {
                players.row(r.matchId(), player.getKey(), count + 1, count + player.getValue().size());
                for (QuestionAnswer qa : player.getValue()) {
                    AnswerRecord a = qa.answer();
                    answers.row((short) qa.index(), (short) a.option(), a.correct(), a.points(), a.streak(),
                        clampToInt(a.elapsedMs()), timestamp(a.answeredAt()));
                }
                count += player.getValue().size();
            }
        }
        Tuple tuple = players.tuple(UUID.class, UUID.class, Integer.class, Integer.class);
        answers.addTo(tuple, Short.class, Short.class, Boolean.class, Integer.class, Integer.class, Integer.class,
            OffsetDateTime.class);
        return tuple;
    }

    private record QuestionAnswer(int index, AnswerRecord answer) {
    }

    /** Each player's matches in the batch summed into one row, in user id order. */
    private static Tuple statsColumns(List<MatchResult> results) {
        Map<UUID, Stats> byUser = new TreeMap<>();
        for (MatchResult r : results) {
            for (PlayerResult p : r.players()) {
                byUser.merge(p.userId(), Stats.of(p, r.finishedAt()), Stats::plus);
            }
        }
        Columns c = new Columns(9);
        byUser.forEach((user, s) -> c.row(user, s.matches(), s.wins(), s.totalScore(), s.bestScore(), s.answered(),
            s.correct(), s.bestStreak(), timestamp(s.lastPlayedAt())));
        return c.tuple(UUID.class, Integer.class, Integer.class, Long.class, Integer.class, Integer.class, Integer.class,
            Integer.class, OffsetDateTime.class);
    }

    /** What a player's matches add to their lifetime stats. */
    private record Stats(int matches, int wins, long totalScore, int bestScore, int answered, int correct, int bestStreak,
                         long lastPlayedAt) {
        static Stats of(PlayerResult p, long finishedAt) {
            return new Stats(1, p.rank() == 1 ? 1 : 0, p.score(), p.score(), p.answeredQuestions(), p.correctAnswers(),
                p.bestStreak(), finishedAt);
        }

        Stats plus(Stats o) {
            return new Stats(matches + o.matches, wins + o.wins, totalScore + o.totalScore, Math.max(bestScore, o.bestScore),
                answered + o.answered, correct + o.correct, Math.max(bestStreak, o.bestStreak),
                Math.max(lastPlayedAt, o.lastPlayedAt));
        }
    }

    static OffsetDateTime timestamp(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }

    private static int clampToInt(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
