package org.quizengine.api.leaderboard;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds every live board from PostgreSQL ({@code match_players} joined to {@code matches}), so
 * Redis can be lost without losing the leaderboards.
 *
 * <p>The boards are built under temporary keys and swapped in by one Lua script (RENAME), so readers
 * see the old boards or the new ones, never a half-built one. Results keep being applied while it
 * runs, and none is lost or counted twice:
 * <ol>
 *   <li>a lock key is set first; from then on the apply script also journals each result it applies;
 *   <li>PostgreSQL is read in one REPEATABLE READ snapshot. A result applied before the lock was
 *       stored before it (the engine writes PostgreSQL first), so the snapshot has it;
 *   <li>the swap script replays the journalled results that the snapshot did not count, sets the
 *       applied marker of every counted match that had none (its result is on its way and must not
 *       be added again when it arrives), renames the new boards over the old and drops boards that
 *       PostgreSQL does not back.
 * </ol>
 * If the rebuild outlives its lock ({@link #LOCK_TTL}), journalling may have stopped, so the swap
 * refuses and the old boards stay; the temporary keys expire by themselves.
 */
public final class LeaderboardRebuild {
    /** How long a rebuild may take; also the life of its temporary keys. */
    public static final Duration LOCK_TTL = Duration.ofMinutes(10);
    private static final int CHUNK = 500;
    private static final Logger LOG = LoggerFactory.getLogger(LeaderboardRebuild.class);

    // A total is reached by the last match that scored, or the first match if none did (see TieBreak).
    static final String ALL_TIME = """
        SELECT mp.user_id, sum(mp.score)::bigint AS points,
               max(m.finished_at) FILTER (WHERE mp.score > 0) AS last_scored, min(m.finished_at) AS first_played
        FROM match_players mp JOIN matches m ON m.id = mp.match_id
        JOIN users u ON u.id = mp.user_id AND u.deleted_at IS NULL
        GROUP BY mp.user_id""";

    static final String BY_PERIOD = """
        SELECT date_trunc($1, m.finished_at AT TIME ZONE 'UTC') AS bucket, mp.user_id, sum(mp.score)::bigint AS points,
               max(m.finished_at) FILTER (WHERE mp.score > 0) AS last_scored, min(m.finished_at) AS first_played
        FROM match_players mp JOIN matches m ON m.id = mp.match_id
        JOIN users u ON u.id = mp.user_id AND u.deleted_at IS NULL
        WHERE m.finished_at >= $2
        GROUP BY bucket, mp.user_id""";

    static final String MATCH_COUNT = "SELECT count(*) FROM matches";

    static final String RECENT_MATCHES = "SELECT id FROM matches WHERE finished_at > $1";

    // KEYS: 1 lock, 2 journal, 3 counted matches, 4 counted matches without a marker, 5 board registry.
    // ARGV: 1 this rebuild's journal key (the lock's value), 2 prefix of the new boards, 3 marker TTL,
    //       4 marker prefix, 5 board prefix, 6 members prefix, then (board id, expiry or 0) pairs.
    static final String SWAP_SCRIPT = LeaderboardStore.RESULT_FUNCTIONS + """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then
          return redis.error_reply('REBUILD_EXPIRED the rebuild outlived its lock')
        end
        local boards = {}
        for i = 7, #ARGV, 2 do boards[ARGV[i]] = tonumber(ARGV[i + 1]) end
        local replayed = 0
        for _, raw in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
          local a = cjson.decode(raw)
          if redis.call('SISMEMBER', KEYS[3], a[2]) == 0 then
            applyResult(ARGV[2], a)
            replayed = replayed + 1
            if #a >= 12 then
              for b = 6, 10, 2 do boards[a[b]] = tonumber(a[b + 1]) end
            end
          end
        end
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[4])) do
          redis.call('SET', ARGV[4] .. id, '1', 'NX', 'EX', ARGV[3])
        end
        -- Players removed (accounts deleted) after the snapshot was read are still in it.
        for _, user in ipairs(redis.call('ZRANGE', REMOVED, 0, -1)) do
          for id, _ in pairs(boards) do
            local board, index = ARGV[2] .. ARGV[5] .. id, ARGV[2] .. ARGV[6] .. id
            local member = redis.call('HGET', index, user)
            if member then
              redis.call('ZREM', board, member)
              redis.call('HDEL', index, user)
            end
          end
        end
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[5])) do
          if not boards[id] then
            redis.call('DEL', ARGV[5] .. id, ARGV[6] .. id)
            redis.call('SREM', KEYS[5], id)
          end
        end
        for id, expiry in pairs(boards) do
          local board, index = ARGV[5] .. id, ARGV[6] .. id
          if redis.call('EXISTS', ARGV[2] .. board) == 1 then
            redis.call('RENAME', ARGV[2] .. board, board)
            redis.call('RENAME', ARGV[2] .. index, index)
            if expiry > 0 then
              redis.call('EXPIREAT', board, expiry)
              redis.call('EXPIREAT', index, expiry)
            else
              redis.call('PERSIST', board)
              redis.call('PERSIST', index)
            end
            redis.call('SADD', KEYS[5], id)
          else
            redis.call('DEL', board, index)
            redis.call('SREM', KEYS[5], id)
          end
        end
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
        return replayed
        """;

    // KEYS: 1 lock, 2 journal. ARGV: 1 the lock's value if it is ours.
    static final String RELEASE_SCRIPT = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('DEL', KEYS[1], KEYS[2])
        end
        return 0
        """;

    private final Pool pool;
    private final LeaderboardStore boards;
    private final RedisAPI redis;
    private final Clock clock;

    public LeaderboardRebuild(Pool pool, LeaderboardStore boards, Clock clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.boards = Objects.requireNonNull(boards, "boards");
        this.redis = boards.redis();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A board to be: its entries as (member, points) and when it expires (0: never). */
    private record NewBoard(String id, long expiry, Map<String, Long> points) {
    }

    /** What PostgreSQL said, in one snapshot. */
    private record Snapshot(List<NewBoard> boards, long matches, List<UUID> recentMatches) {
    }

    /**
     * Rebuilds every board that is live at the clock's now.
     *
     * @return what was rebuilt; fails with {@link ErrorCode#LEADERBOARD_REBUILD_RUNNING} when another
     *     rebuild holds the lock
     */
    public Future<RebuildReport> run() {
        String rebuildId = UUID.randomUUID().toString();
        String journal = LeaderboardKeys.rebuildJournal(rebuildId);
        Instant now = clock.instant();
        return redis.set(List.of(LeaderboardKeys.REBUILD_LOCK, journal, "NX", "PX", Long.toString(LOCK_TTL.toMillis())))
            .compose(locked -> {
                if (locked == null) {
                    return Future.failedFuture(new QuizException(ErrorCode.LEADERBOARD_REBUILD_RUNNING,
                        "A leaderboard rebuild is already running; try again when it has finished."));
                }
                LOG.info("Leaderboard rebuild {} started", rebuildId);
                return snapshot(now)
                    .compose(snapshot -> writeBoards(rebuildId, snapshot)
                        .compose(v -> markCounted(rebuildId, snapshot.recentMatches()))
                        .compose(v -> swap(rebuildId, snapshot))
                        .map(replayed -> report(snapshot, replayed)))
                    .onSuccess(report -> LOG.info(
                        "Leaderboard rebuild {} done: {} boards, {} matches, {} applied meanwhile",
                        rebuildId, report.boards().size(), report.matches(), report.appliedDuringRebuild()))
                    .recover(failure -> release(journal).transform(released -> Future.failedFuture(failure)));
            });
    }

    private Future<Snapshot> snapshot(Instant now) {
        return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute()
            .compose(v -> conn.query(ALL_TIME).execute())
            .compose(allRows -> {
                List<NewBoard> built = new ArrayList<>();
                built.add(new NewBoard(Period.ALL.boardId(now), 0, entries(allRows)));
                return periodBoards(conn, Period.WEEK, now, built)
                    .compose(v -> periodBoards(conn, Period.DAY, now, built))
                    .compose(v -> conn.query(MATCH_COUNT).execute())
                    .compose(count -> conn.preparedQuery(RECENT_MATCHES)
                        .execute(Tuple.of(now.minus(LeaderboardStore.APPLIED_MARKER_TTL).atOffset(ZoneOffset.UTC)))
                        .map(recent -> {
                            List<UUID> ids = new ArrayList<>(recent.size());
                            recent.forEach(row -> ids.add(row.getUUID(0)));
                            return new Snapshot(built, count.iterator().next().getLong(0), ids);
                        }));
            }));
    }

    /** Adds the boards of {@code period} that are still live at {@code now} (not yet expired). */
    private static Future<Void> periodBoards(SqlConnection conn, Period period, Instant now, List<NewBoard> built) {
        // A week board lives 8 days past its end, so no live board starts more than 15 days back.
        Instant since = Period.WEEK.start(now.minus(Duration.ofDays(15)));
        String unit = period == Period.WEEK ? "week" : "day";
        return conn.preparedQuery(BY_PERIOD).execute(Tuple.of(unit, since.atOffset(ZoneOffset.UTC))).map(rows -> {
            Map<String, List<Row>> byBoard = new TreeMap<>();
            Map<String, Instant> expiries = new TreeMap<>();
            for (Row row : rows) {
                Instant bucket = row.getLocalDateTime("bucket").toInstant(ZoneOffset.UTC);
                Instant expiry = period.expiresAt(bucket);
                if (expiry.isAfter(now)) {
                    String id = period.boardId(bucket);
                    byBoard.computeIfAbsent(id, k -> new ArrayList<>()).add(row);
                    expiries.put(id, expiry);
                }
            }
            byBoard.forEach((id, boardRows) ->
                built.add(new NewBoard(id, expiries.get(id).getEpochSecond(), entries(boardRows))));
            return null;
        });
    }

    private static Map<String, Long> entries(Iterable<Row> rows) {
        Map<String, Long> points = new TreeMap<>();
        for (Row row : rows) {
            long total = row.getLong("points");
            OffsetDateTime reached = row.getOffsetDateTime(total > 0 ? "last_scored" : "first_played");
            points.put(TieBreak.member(row.getUUID("user_id"), reached.toInstant()), total);
        }
        return points;
    }

    /** Writes each board and its members hash under the rebuild's prefix, with the rebuild's lifetime. */
    private Future<Void> writeBoards(String rebuildId, Snapshot snapshot) {
        String prefix = LeaderboardKeys.rebuildBoards(rebuildId);
        Future<Void> chain = Future.succeededFuture();
        for (NewBoard board : snapshot.boards()) {
            String zset = prefix + LeaderboardKeys.board(board.id());
            String hash = prefix + LeaderboardKeys.members(board.id());
            List<Map.Entry<String, Long>> entries = List.copyOf(board.points().entrySet());
            for (int from = 0; from < entries.size(); from += CHUNK) {
                List<Map.Entry<String, Long>> chunk = entries.subList(from, Math.min(entries.size(), from + CHUNK));
                List<String> zadd = new ArrayList<>(1 + 2 * chunk.size());
                List<String> hset = new ArrayList<>(1 + 2 * chunk.size());
                zadd.add(zset);
                hset.add(hash);
                for (Map.Entry<String, Long> entry : chunk) {
                    zadd.add(Long.toString(entry.getValue()));
                    zadd.add(entry.getKey());
                    hset.add(TieBreak.userId(entry.getKey()).toString());
                    hset.add(entry.getKey());
                }
                chain = chain.compose(v -> redis.zadd(zadd))
                    .compose(v -> redis.hset(hset))
                    .compose(v -> expireWithRebuild(zset))
                    .compose(v -> expireWithRebuild(hash));
            }
        }
        return chain;
    }

    /**
     * Records the recent matches the snapshot counted (the only ones a result still on its way can
     * be), and among them those not yet marked as applied: the swap marks them.
     */
    private Future<Void> markCounted(String rebuildId, List<UUID> recent) {
        String counted = LeaderboardKeys.rebuildCounted(rebuildId);
        String unmarked = LeaderboardKeys.rebuildUnmarked(rebuildId);
        Future<Void> chain = Future.succeededFuture();
        for (int from = 0; from < recent.size(); from += CHUNK) {
            List<UUID> chunk = recent.subList(from, Math.min(recent.size(), from + CHUNK));
            List<String> sadd = new ArrayList<>(chunk.size() + 1);
            sadd.add(counted);
            chunk.forEach(id -> sadd.add(id.toString()));
            List<String> markers = chunk.stream().map(LeaderboardKeys::appliedMarker).toList();
            chain = chain.compose(v -> redis.sadd(sadd))
                .compose(v -> expireWithRebuild(counted))
                .compose(v -> redis.mget(markers))
                .compose(found -> {
                    List<String> missing = new ArrayList<>();
                    missing.add(unmarked);
                    for (int i = 0; i < chunk.size(); i++) {
                        if (found.get(i) == null) {
                            missing.add(chunk.get(i).toString());
                        }
                    }
                    if (missing.size() == 1) {
                        return Future.succeededFuture();
                    }
                    return redis.sadd(missing).compose(v -> expireWithRebuild(unmarked));
                });
        }
        return chain;
    }

    private Future<Long> swap(String rebuildId, Snapshot snapshot) {
        List<String> args = new ArrayList<>();
        args.add("5");
        args.add(LeaderboardKeys.REBUILD_LOCK);
        args.add(LeaderboardKeys.rebuildJournal(rebuildId));
        args.add(LeaderboardKeys.rebuildCounted(rebuildId));
        args.add(LeaderboardKeys.rebuildUnmarked(rebuildId));
        args.add(LeaderboardKeys.REGISTRY);
        args.add(LeaderboardKeys.rebuildJournal(rebuildId));
        args.add(LeaderboardKeys.rebuildBoards(rebuildId));
        args.add(Long.toString(LeaderboardStore.APPLIED_MARKER_TTL.toSeconds()));
        args.add(LeaderboardKeys.APPLIED_PREFIX);
        args.add(LeaderboardKeys.BOARD_PREFIX);
        args.add(LeaderboardKeys.MEMBERS_PREFIX);
        for (NewBoard board : snapshot.boards()) {
            args.add(board.id());
            args.add(Long.toString(board.expiry()));
        }
        return boards.eval(SWAP_SCRIPT, args)
            .recover(failure -> Future.failedFuture(failure.getMessage() != null
                && failure.getMessage().startsWith("REBUILD_EXPIRED")
                ? new QuizException(ErrorCode.LEADERBOARD_REBUILD_EXPIRED,
                    "The rebuild took longer than " + LOCK_TTL.toMinutes()
                        + " minutes; the boards were left as they were.")
                : failure))
            .map(reply -> reply.toLong());
    }

    private static RebuildReport report(Snapshot snapshot, long replayed) {
        List<RebuildReport.BoardCount> counts = snapshot.boards().stream()
            .map(board -> new RebuildReport.BoardCount(board.id(), board.points().size())).toList();
        return new RebuildReport(counts, snapshot.boards().get(0).points().size(), snapshot.matches(), replayed);
    }

    private Future<Void> expireWithRebuild(String key) {
        return redis.pexpire(List.of(key, Long.toString(LOCK_TTL.toMillis()))).mapEmpty();
    }

    private Future<Void> release(String journal) {
        return boards.eval(RELEASE_SCRIPT, List.of("2", LeaderboardKeys.REBUILD_LOCK, journal, journal))
            .<Void>mapEmpty()
            .recover(e -> Future.succeededFuture());
    }
}
