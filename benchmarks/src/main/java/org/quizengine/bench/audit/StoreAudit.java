package org.quizengine.bench.audit;

import static org.quizengine.bench.audit.AuditReport.ANSWERS_ACKNOWLEDGED;
import static org.quizengine.bench.audit.AuditReport.ANSWERS_MISSING;
import static org.quizengine.bench.audit.AuditReport.ANSWERS_STORED;
import static org.quizengine.bench.audit.AuditReport.ANSWERS_UNEXPECTED;
import static org.quizengine.bench.audit.AuditReport.LEADERBOARD_MISMATCHES;
import static org.quizengine.bench.audit.AuditReport.LEADERBOARD_PLAYERS_CHECKED;
import static org.quizengine.bench.audit.AuditReport.MATCHES_FINISHED;
import static org.quizengine.bench.audit.AuditReport.MATCHES_STORED;
import static org.quizengine.bench.audit.AuditReport.NOT_ON_LEADERBOARDS;
import static org.quizengine.bench.audit.AuditReport.STATS_MISMATCHES;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.quizengine.api.leaderboard.LeaderboardKeys;
import org.quizengine.api.leaderboard.LeaderboardStore;

/**
 * Checks, after a benchmark run, that the stores hold what the simulated players saw: every match
 * they saw finish is in PostgreSQL once, with every answer the server acknowledged, and the Redis
 * leaderboards and the lifetime stats add up to the stored scores.
 *
 * <p>Results reach the stores asynchronously and are retried until they land, so the audit first
 * waits (up to a settle time) for every finished match to be in {@code matches} and marked as
 * applied to the leaderboards; then it reads everything once. Disagreements are reported, not
 * failed: the returned Future fails only when a store cannot be read.
 *
 * <p>Ids go to PostgreSQL as {@code = ANY($1)} arrays and to Redis as multi-member commands, both in
 * chunks, so auditing tens of thousands of players takes a few dozen round trips.
 */
public final class StoreAudit {
    private static final long POLL_MILLIS = 500;
    /** Ids per SQL array and members per Redis command: few round trips, modest packets. */
    private static final int CHUNK_SIZE = 2000;
    private static final int POSTGRES_POOL_SIZE = 4;

    private static final String STORED_MATCHES = "SELECT id FROM matches WHERE id = ANY($1)";
    private static final String FINISHED_AT = "SELECT id, finished_at FROM matches WHERE id = ANY($1)";
    private static final String TIMES_STORED = "SELECT id, count(*) FROM matches WHERE id = ANY($1) GROUP BY id";
    private static final String ANSWERS_PER_MATCH =
        "SELECT match_id, count(*) FROM match_answers WHERE match_id = ANY($1) GROUP BY match_id";
    // The primary keys forbid duplicate players, and the writer duplicate answers (one row per player
    // holds their answers since V11, which no key stops repeating a question); the audit checks the data.
    private static final String DUPLICATE_ANSWERS = """
        SELECT match_id, question_index, user_id, count(*) FROM match_answers WHERE match_id = ANY($1)
        GROUP BY match_id, question_index, user_id HAVING count(*) > 1""";
    private static final String DUPLICATE_PLAYERS = """
        SELECT match_id, user_id, count(*) FROM match_players WHERE match_id = ANY($1)
        GROUP BY match_id, user_id HAVING count(*) > 1""";
    private static final String PLAYER_DAYS = """
        SELECT user_id, (finished_at AT TIME ZONE 'UTC')::date AS day, count(*) AS matches, sum(score) AS score
        FROM match_players WHERE user_id = ANY($1) GROUP BY user_id, day""";
    private static final String PLAYER_STATS =
        "SELECT user_id, matches_played, total_score FROM player_stats WHERE user_id = ANY($1)";

    private final Vertx vertx;
    private final Pool pool;
    private final Redis redis;
    private final String postgresAddress;
    private final String redisAddress;

    public StoreAudit(Vertx vertx, String postgresUri, String redisUri) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        PgConnectOptions postgres = PgConnectOptions.fromUri(Objects.requireNonNull(postgresUri, "postgresUri"));
        this.pool = PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(POSTGRES_POOL_SIZE))
            .connectingTo(postgres)
            .using(vertx)
            .build();
        this.redis = Redis.createClient(vertx,
            new RedisOptions().setConnectionString(Objects.requireNonNull(redisUri, "redisUri")));
        this.postgresAddress = postgres.getHost() + ":" + postgres.getPort() + "/" + postgres.getDatabase();
        this.redisAddress = withoutCredentials(redisUri);
    }

    /**
     * Waits up to {@code settle} for the results of {@code acknowledged}'s matches to land, then
     * compares the stores with what the players saw. The report holds:
     * <ul>
     *   <li>{@code matchesFinished}: matches the players saw finish; {@code matchesStored}: how many of
     *       them are in {@code matches}; {@code lost}: finished but not stored;
     *       {@code matchesNotOnLeaderboards}: finished but never marked as applied to the boards;
     *   <li>{@code duplicated}: matches, players of a match, or answers (per match, question and user)
     *       stored more than once;
     *   <li>{@code answersAcknowledged} and {@code answersStored} in those matches;
     *       {@code answersMissing} and {@code answersUnexpected}: per match, how many fewer or more
     *       were stored than acknowledged, summed;
     *   <li>{@code leaderboardPlayersChecked}, and {@code leaderboardMismatches}: (player, board) pairs
     *       where the Redis score differs from the sum of the player's stored match scores that went to
     *       that board (all time, and each live week and day board, the current ones included);
     *   <li>{@code statsMismatches}: players whose {@code player_stats} total score or matches played
     *       differ from their {@code match_players} rows;
     *   <li>{@code settleSeconds}: how long the wait took; {@code examples}: the first problems, in words.
     * </ul>
     *
     * @param acknowledged finished match id to the number of answers acknowledged in it
     * @param players      every user id of the run
     */
    public Future<JsonObject> run(Map<UUID, Integer> acknowledged, Set<UUID> players, Duration settle) {
        long startedAt = System.nanoTime();
        return awaitResults(acknowledged.keySet(), settle).compose(notApplied -> {
            double settleSeconds = (System.nanoTime() - startedAt) / 1_000_000 / 1000.0;
            AuditReport report = new AuditReport();
            return checkMatches(acknowledged.keySet(), notApplied, report)
                .compose(checked -> checkAnswers(acknowledged, report))
                .compose(checked -> checkDuplicateRows(acknowledged.keySet(), report))
                .compose(checked -> checkPlayers(players, report))
                .map(checked -> report.toJson(settleSeconds));
        });
    }

    /**
     * Which of {@code matchIds} are stored now, in PostgreSQL and applied to the boards both: what a
     * result needs to count as landed.
     */
    public Future<Set<UUID>> landedAmong(Set<UUID> matchIds) {
        Future<Set<UUID>> stored = storedAmong(matchIds);
        Future<Set<UUID>> applied = appliedAmong(matchIds);
        return Future.all(stored, applied).map(both -> {
            Set<UUID> landed = new HashSet<>(stored.result());
            landed.retainAll(applied.result());
            return landed;
        });
    }

    /** When each stored match among {@code matchIds} finished, by the server's clock (epoch ms). */
    public Future<Map<UUID, Long>> finishedAt(Set<UUID> matchIds) {
        return selectByIds(FINISHED_AT, matchIds).map(rows -> {
            Map<UUID, Long> finished = new HashMap<>();
            rows.forEach(row -> finished.put(row.getUUID("id"), row.getOffsetDateTime("finished_at").toInstant().toEpochMilli()));
            return finished;
        });
    }

    public Future<Void> close() {
        return Future.join(pool.close(), redis.close()).mapEmpty();
    }

    /**
     * Polls until every match is in {@code matches} and applied to the boards (PostgreSQL is written
     * first, so a stored match may not be on the boards yet), or until {@code settle} has passed.
     *
     * @return the matches still not applied to the boards
     */
    private Future<Set<UUID>> awaitResults(Set<UUID> matchIds, Duration settle) {
        Promise<Set<UUID>> settled = Promise.promise();
        pollResults(new HashSet<>(matchIds), new HashSet<>(matchIds), System.nanoTime() + settle.toNanos(), settled);
        return settled.future();
    }

    private void pollResults(Set<UUID> notStored, Set<UUID> notApplied, long deadlineNanos,
                             Promise<Set<UUID>> settled) {
        Future<Set<UUID>> stored = storedAmong(notStored);
        Future<Set<UUID>> applied = appliedAmong(notApplied);
        Future.all(stored, applied).onFailure(settled::fail).onSuccess(polled -> {
            notStored.removeAll(stored.result());
            notApplied.removeAll(applied.result());
            long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (notStored.isEmpty() && notApplied.isEmpty() || leftMillis <= 0) {
                settled.complete(notApplied);
                return;
            }
            vertx.setTimer(Math.min(POLL_MILLIS, leftMillis),
                timer -> pollResults(notStored, notApplied, deadlineNanos, settled));
        });
    }

    private Future<Set<UUID>> storedAmong(Set<UUID> matchIds) {
        return selectByIds(STORED_MATCHES, matchIds).map(rows -> {
            Set<UUID> stored = new HashSet<>();
            rows.forEach(row -> stored.add(row.getUUID(0)));
            return stored;
        });
    }

    private Future<Set<UUID>> appliedAmong(Set<UUID> matchIds) {
        return perId(() -> Request.cmd(Command.MGET), matchIds, LeaderboardKeys::appliedMarker).map(markers -> {
            Set<UUID> applied = new HashSet<>();
            markers.forEach((matchId, marker) -> {
                if (marker != null) {
                    applied.add(matchId);
                }
            });
            return applied;
        });
    }

    private Future<Void> checkMatches(Set<UUID> matchIds, Set<UUID> notApplied, AuditReport report) {
        return selectByIds(TIMES_STORED, matchIds).map(rows -> {
            Map<UUID, Long> timesStored = new HashMap<>();
            rows.forEach(row -> timesStored.put(row.getUUID(0), row.getLong(1)));
            report.add(MATCHES_FINISHED, matchIds.size());
            report.add(MATCHES_STORED, timesStored.size());
            for (UUID matchId : matchIds) {
                long times = timesStored.getOrDefault(matchId, 0L);
                if (times == 0) {
                    report.lostMatch(matchId, "match " + matchId + " finished but not stored");
                } else if (times > 1) {
                    report.duplicatedIn(matchId, "match " + matchId + " stored " + times + " times");
                }
                if (notApplied.contains(matchId)) {
                    report.problem(NOT_ON_LEADERBOARDS,
                        "match " + matchId + " finished but not applied to the leaderboards");
                }
            }
            return null;
        });
    }

    private Future<Void> checkAnswers(Map<UUID, Integer> acknowledged, AuditReport report) {
        return selectByIds(ANSWERS_PER_MATCH, acknowledged.keySet()).map(rows -> {
            Map<UUID, Long> storedPerMatch = new HashMap<>();
            rows.forEach(row -> storedPerMatch.put(row.getUUID(0), row.getLong(1)));
            acknowledged.forEach((matchId, acked) -> {
                long stored = storedPerMatch.getOrDefault(matchId, 0L);
                report.add(ANSWERS_ACKNOWLEDGED, acked);
                report.add(ANSWERS_STORED, stored);
                String description = "match " + matchId + ": " + acked + " answers acknowledged, " + stored + " stored";
                if (stored < acked) {
                    report.problem(ANSWERS_MISSING, acked - stored, description);
                } else if (stored > acked) {
                    report.problem(ANSWERS_UNEXPECTED, stored - acked, description);
                }
            });
            return null;
        });
    }

    private Future<Void> checkDuplicateRows(Set<UUID> matchIds, AuditReport report) {
        Future<List<Row>> answers = selectByIds(DUPLICATE_ANSWERS, matchIds);
        Future<List<Row>> players = selectByIds(DUPLICATE_PLAYERS, matchIds);
        return Future.all(answers, players).map(both -> {
            answers.result().forEach(row -> report.duplicatedIn(row.getUUID(0), "answer of user " + row.getUUID(2)
                + " to question " + row.getInteger(1) + " of match " + row.getUUID(0) + " stored "
                + row.getLong(3) + " times"));
            players.result().forEach(row -> report.duplicatedIn(row.getUUID(0), "user " + row.getUUID(1) + " stored "
                + row.getLong(2) + " times as a player of match " + row.getUUID(0)));
            return null;
        });
    }

    /** The leaderboards and the stats, against each player's stored matches (all of them, not only this run's). */
    private Future<Void> checkPlayers(Set<UUID> players, AuditReport report) {
        return selectByIds(PLAYER_DAYS, players)
            .map(StoreAudit::totalsOf)
            .compose(totals -> checkLeaderboards(players, totals, report)
                .compose(checked -> checkStats(players, totals, report)));
    }

    private static PlayerTotals totalsOf(List<Row> playerDays) {
        PlayerTotals totals = new PlayerTotals();
        playerDays.forEach(row -> totals.add(row.getUUID("user_id"), row.getLocalDate("day"),
            row.getLong("matches"), row.getLong("score")));
        return totals;
    }

    private Future<Void> checkLeaderboards(Set<UUID> players, PlayerTotals totals, AuditReport report) {
        List<String> boards = List.copyOf(totals.boardsAt(Instant.now()));
        LeaderboardStore leaderboards = new LeaderboardStore(RedisAPI.api(redis));
        List<Future<Map<UUID, Long>>> reads = boards.stream()
            .map(board -> leaderboards.pointsOf(board, players))
            .toList();
        return Future.all(reads)
            .recover(failure -> Future.failedFuture(new IllegalStateException(
                "Store audit could not read Redis at " + redisAddress + ": " + failure.getMessage(), failure)))
            .map(all -> {
                report.add(LEADERBOARD_PLAYERS_CHECKED, players.size());
                for (int i = 0; i < boards.size(); i++) {
                    compareBoard(boards.get(i), players, reads.get(i).result(), totals, report);
                }
                return null;
            });
    }

    private static void compareBoard(String board, Set<UUID> players, Map<UUID, Long> scores, PlayerTotals totals,
                                     AuditReport report) {
        for (UUID userId : players) {
            // A player not on the board scored nothing there.
            long onBoard = scores.getOrDefault(userId, 0L);
            long stored = totals.score(board, userId);
            if (onBoard != stored) {
                report.problem(LEADERBOARD_MISMATCHES,
                    "user " + userId + " has " + onBoard + " on board " + board + ", stored matches sum to " + stored);
            }
        }
    }

    private Future<Void> checkStats(Set<UUID> players, PlayerTotals totals, AuditReport report) {
        return selectByIds(PLAYER_STATS, players).map(rows -> {
            Map<UUID, Row> statsByUser = new HashMap<>();
            rows.forEach(row -> statsByUser.put(row.getUUID("user_id"), row));
            for (UUID userId : players) {
                Row stats = statsByUser.get(userId);
                // A player without a stats row has played nothing as far as the stats know.
                long played = stats == null ? 0 : stats.getInteger("matches_played");
                long score = stats == null ? 0 : stats.getLong("total_score");
                if (played != totals.matchesPlayed(userId) || score != totals.totalScore(userId)) {
                    report.problem(STATS_MISMATCHES, "user " + userId + " stats say " + played + " matches, "
                        + score + " points; stored matches: " + totals.matchesPlayed(userId) + " matches, "
                        + totals.totalScore(userId) + " points");
                }
            }
            return null;
        });
    }

    /** Runs {@code sql}, whose one parameter is a uuid array, for each chunk of {@code ids} at once. */
    private Future<List<Row>> selectByIds(String sql, Collection<UUID> ids) {
        List<Future<RowSet<Row>>> reads = chunks(ids).stream()
            .map(chunk -> pool.preparedQuery(sql).execute(Tuple.of(chunk.toArray(UUID[]::new))))
            .toList();
        return Future.all(reads)
            .map(all -> {
                List<Row> rows = new ArrayList<>();
                reads.forEach(read -> read.result().forEach(rows::add));
                return rows;
            })
            .recover(failure -> Future.failedFuture(new IllegalStateException(
                "Store audit could not read PostgreSQL at " + postgresAddress + ": " + failure.getMessage(), failure)));
    }

    /**
     * Sends {@code command} with one argument per id ({@code idArgument}), in chunks pipelined on one
     * connection, and returns each id's element of the replies ({@code null} for a nil).
     */
    private Future<Map<UUID, Response>> perId(Supplier<Request> command, Collection<UUID> ids,
                                              Function<UUID, String> idArgument) {
        List<List<UUID>> chunks = chunks(ids);
        if (chunks.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        List<Request> requests = new ArrayList<>(chunks.size());
        for (List<UUID> chunk : chunks) {
            Request request = command.get();
            chunk.forEach(id -> request.arg(idArgument.apply(id)));
            requests.add(request);
        }
        return redis.batch(requests)
            .recover(failure -> Future.failedFuture(new IllegalStateException(
                "Store audit could not read Redis at " + redisAddress + ": " + failure.getMessage(), failure)))
            .map(replies -> byId(chunks, replies));
    }

    private static Map<UUID, Response> byId(List<List<UUID>> chunks, List<Response> replies) {
        Map<UUID, Response> byId = new HashMap<>();
        for (int c = 0; c < chunks.size(); c++) {
            List<UUID> chunk = chunks.get(c);
            for (int i = 0; i < chunk.size(); i++) {
                byId.put(chunk.get(i), replies.get(c).get(i));
            }
        }
        return byId;
    }

    private static List<List<UUID>> chunks(Collection<UUID> ids) {
        List<UUID> all = List.copyOf(ids);
        List<List<UUID>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK_SIZE) {
            chunks.add(all.subList(from, Math.min(all.size(), from + CHUNK_SIZE)));
        }
        return chunks;
    }

    /** Error messages name the server, never its password. */
    private static String withoutCredentials(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        return scheme < 0 || at < scheme ? uri : uri.substring(0, scheme + 3) + uri.substring(at + 1);
    }
}
