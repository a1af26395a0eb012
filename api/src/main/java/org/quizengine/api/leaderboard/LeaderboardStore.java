package org.quizengine.api.leaderboard;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.api.storage.RedisScripts;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.PlayerResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leaderboards, as Redis sorted sets, one per {@link Period} and period instance (keys in
 * {@link LeaderboardKeys}). A board's score is a player's total points and its member says when the
 * player reached that total ({@link TieBreak}), so equal totals rank by who got there first.
 *
 * <p>Applying a match is idempotent: one Lua script atomically sets a per-match marker and, only
 * if the marker was not there yet, adds every player's score to the three boards. Results are
 * retried until applied, so a retry after a lost reply must not count twice. While a
 * {@link LeaderboardRebuild} runs, the script also journals the result so the rebuilt boards get it.
 *
 * <p>Reads are Lua scripts too, so a page and the board's size, or a player's rank and the lines
 * around it, come from one moment.
 */
public final class LeaderboardStore {
    public static final int MAX_PAGE_SIZE = 100;

    /** How long a match is remembered as applied; a retry later than this would count again. */
    public static final Duration APPLIED_MARKER_TTL = Duration.ofDays(35);

    /** Results older than this are not applied at all: their marker could expire before a retry. */
    static final Duration MAX_RESULT_AGE = APPLIED_MARKER_TTL.minusDays(1);

    /**
     * Lua shared by applying a result and by replaying one into a rebuilt board. A result is an
     * array: [1] marker TTL, [2] match id, [3] member prefix ({@link TieBreak#prefix}), [4] board key
     * prefix, [5] members key prefix, [6..11] three (board id, expiry in unix seconds or 0) pairs,
     * then (user id, points) pairs.
     */
    static final String RESULT_FUNCTIONS = "local REMOVED = '" + LeaderboardKeys.REMOVED + "'\n" + """
        local function reached(member)
          return tonumber(string.sub(member, 1, 13))
        end
        -- Adds points to a user's total; member is theirs had they reached the new total with this match.
        -- Larger digits mean earlier. A total is reached by the last match that scored (the first if none did).
        local function addTo(board, index, user, amount, member)
          local old = redis.call('HGET', index, user)
          local total = amount
          local chosen = member
          if old then
            local oldTotal = tonumber(redis.call('ZSCORE', board, old) or '0')
            total = oldTotal + amount
            if amount > 0 then
              if oldTotal > 0 and reached(old) < reached(member) then chosen = old end
            elseif oldTotal > 0 or reached(old) > reached(member) then
              chosen = old
            end
            if chosen ~= old then redis.call('ZREM', board, old) end
          end
          redis.call('ZADD', board, string.format('%.17g', total), chosen)
          redis.call('HSET', index, user, chosen)
        end
        local function applyResult(prefix, a)
          for b = 6, 10, 2 do
            local board = prefix .. a[4] .. a[b]
            local index = prefix .. a[5] .. a[b]
            for i = 12, #a, 2 do
              if not redis.call('ZSCORE', REMOVED, a[i]) then
                addTo(board, index, a[i], tonumber(a[i + 1]), a[3] .. a[i])
              end
            end
            local expiry = tonumber(a[b + 1])
            if expiry > 0 then
              redis.call('EXPIREAT', board, expiry)
              redis.call('EXPIREAT', index, expiry)
            end
          end
        end
        """;

    // KEYS: 1 the applied marker, 2 the rebuild lock (its value is the rebuild's journal), 3 the board registry.
    // ARGV: a result, as RESULT_FUNCTIONS reads it.
    static final String APPLY_SCRIPT = RESULT_FUNCTIONS + """
        if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
          return 0
        end
        applyResult('', ARGV)
        if #ARGV >= 12 then
          for b = 6, 10, 2 do redis.call('SADD', KEYS[3], ARGV[b]) end
        end
        local journal = redis.call('GET', KEYS[2])
        if journal then
          redis.call('RPUSH', journal, cjson.encode(ARGV))
          local ttl = redis.call('PTTL', KEYS[2])
          if ttl > 0 then redis.call('PEXPIRE', journal, ttl) end
        end
        return 1
        """;

    // KEYS: 1 the board. ARGV: 1 first position, 2 last position. Returns size, first position, then member, score...
    static final String PAGE_SCRIPT = """
        local out = {redis.call('ZCARD', KEYS[1]), tonumber(ARGV[1])}
        for _, value in ipairs(redis.call('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')) do
          out[#out + 1] = value
        end
        return out
        """;

    // KEYS: 1 the board, 2 its members hash. ARGV: 1 user id, 2 radius.
    // Returns size, first position (-1: the user is not on the board), then member, score...
    static final String AROUND_SCRIPT = """
        local size = redis.call('ZCARD', KEYS[1])
        local member = redis.call('HGET', KEYS[2], ARGV[1])
        local rank = member and redis.call('ZREVRANK', KEYS[1], member)
        if not rank then
          return {size, -1}
        end
        local radius = tonumber(ARGV[2])
        local first = math.max(0, rank - radius)
        local out = {size, first}
        for _, value in ipairs(redis.call('ZREVRANGE', KEYS[1], first, rank + radius, 'WITHSCORES')) do
          out[#out + 1] = value
        end
        return out
        """;

    // KEYS: 1 the board registry, 2 the removed players. ARGV: 1 user id, 2 board key prefix,
    // 3 members key prefix, 4 now (epoch ms), 5 the oldest removal still kept (epoch ms).
    // Returns how many boards the user was taken off.
    static final String REMOVE_SCRIPT = """
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[5])
        local removed = 0
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local index = ARGV[3] .. id
          local member = redis.call('HGET', index, ARGV[1])
          if member then
            redis.call('ZREM', ARGV[2] .. id, member)
            redis.call('HDEL', index, ARGV[1])
            removed = removed + 1
          end
        end
        return removed
        """;

    private static final Logger LOG = LoggerFactory.getLogger(LeaderboardStore.class);

    private final RedisAPI redis;
    private final Clock clock;

    public LeaderboardStore(RedisAPI redis) {
        this(redis, Clock.systemUTC());
    }

    /** @param clock tells how old a result is (see {@link #apply}) */
    public LeaderboardStore(RedisAPI redis, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Like {@link #apply(MatchResult)}, leaving out the players in {@code leaveOut}: those whose
     * accounts were deleted after the match, whose late result must not put them back on a board.
     */
    public Future<Boolean> apply(MatchResult result, java.util.Set<UUID> leaveOut) {
        if (leaveOut.isEmpty()) {
            return apply(result);
        }
        return apply(new MatchResult(result.matchId(), result.kind(), result.category(), result.startedAt(),
            result.finishedAt(), result.players().stream().filter(p -> !leaveOut.contains(p.userId())).toList(),
            result.questions()));
    }

    /**
     * Adds each player's score to the all-time board and to the boards of the week and day in which
     * the match finished (UTC).
     *
     * @return {@code true} when applied now; {@code false} when it had already been applied, or when
     *     it finished more than {@link #MAX_RESULT_AGE} ago (too old to be sure it was not)
     */
    public Future<Boolean> apply(MatchResult result) {
        Objects.requireNonNull(result, "result");
        Instant finishedAt = Instant.ofEpochMilli(result.finishedAt());
        if (finishedAt.isBefore(clock.instant().minus(MAX_RESULT_AGE))) {
            LOG.warn("Not applying match {} to leaderboards: it finished at {}, too long ago to apply it only once",
                result.matchId(), finishedAt);
            return Future.succeededFuture(false);
        }
        List<String> args = new ArrayList<>(16 + 2 * result.players().size());
        args.add("3");
        args.add(LeaderboardKeys.appliedMarker(result.matchId()));
        args.add(LeaderboardKeys.REBUILD_LOCK);
        args.add(LeaderboardKeys.REGISTRY);
        args.addAll(resultArgs(result.matchId(), finishedAt));
        for (PlayerResult player : result.players()) {
            args.add(player.userId().toString());
            args.add(Integer.toString(player.score()));
        }
        return eval(APPLY_SCRIPT, args).map(reply -> reply != null && reply.toInteger() == 1);
    }

    /** The arguments before the players' of a result finished at {@code finishedAt} (see {@link #RESULT_FUNCTIONS}). */
    static List<String> resultArgs(UUID matchId, Instant finishedAt) {
        List<String> args = new ArrayList<>(11);
        args.add(Long.toString(APPLIED_MARKER_TTL.toSeconds()));
        args.add(matchId.toString());
        args.add(TieBreak.prefix(finishedAt.toEpochMilli()));
        args.add(LeaderboardKeys.BOARD_PREFIX);
        args.add(LeaderboardKeys.MEMBERS_PREFIX);
        for (Period period : Period.values()) {
            args.add(period.boardId(finishedAt));
            Instant expiry = period.expiresAt(finishedAt);
            args.add(expiry == null ? "0" : Long.toString(expiry.getEpochSecond()));
        }
        return args;
    }

    /**
     * Lines {@code offset} to {@code offset + limit - 1} (0-based) of board {@code boardId}, best
     * first, and the board's size; past the end the lines are empty.
     */
    public Future<BoardSlice> page(String boardId, int offset, int limit) {
        Objects.requireNonNull(boardId, "boardId");
        if (offset < 0) {
            return Future.failedFuture(new QuizException(ErrorCode.VALIDATION_FAILED, "offset must not be negative"));
        }
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            return Future.failedFuture(new QuizException(ErrorCode.VALIDATION_FAILED,
                "limit must be between 1 and " + MAX_PAGE_SIZE));
        }
        return eval(PAGE_SCRIPT, List.of("1", LeaderboardKeys.board(boardId), Integer.toString(offset),
            Long.toString((long) offset + limit - 1))).map(LeaderboardStore::toSlice);
    }

    /**
     * {@code userId}'s line on board {@code boardId} with up to {@code radius} lines above and below
     * it (fewer at the top and bottom), or {@code null} when the user is not on the board.
     */
    public Future<BoardSlice> around(String boardId, UUID userId, int radius) {
        Objects.requireNonNull(boardId, "boardId");
        Objects.requireNonNull(userId, "userId");
        if (radius < 0) {
            return Future.failedFuture(new QuizException(ErrorCode.VALIDATION_FAILED, "radius must not be negative"));
        }
        return eval(AROUND_SCRIPT, List.of("2", LeaderboardKeys.board(boardId), LeaderboardKeys.members(boardId),
            userId.toString(), Integer.toString(radius)))
            .map(reply -> reply.get(1).toLong() < 0 ? null : toSlice(reply));
    }

    /**
     * Takes {@code userId} off every board there is, as when their account is deleted, and keeps them
     * off: results applied later leave them out, and so does a rebuild that read PostgreSQL before the
     * deletion. Idempotent.
     */
    public Future<Void> removePlayer(UUID userId) {
        Objects.requireNonNull(userId, "userId");
        Instant now = clock.instant();
        return eval(REMOVE_SCRIPT, List.of("2", LeaderboardKeys.REGISTRY, LeaderboardKeys.REMOVED, userId.toString(),
            LeaderboardKeys.BOARD_PREFIX, LeaderboardKeys.MEMBERS_PREFIX, Long.toString(now.toEpochMilli()),
            Long.toString(now.minus(APPLIED_MARKER_TTL).toEpochMilli()))).mapEmpty();
    }

    /** {@code userId}'s line on board {@code boardId}, or {@code null} if absent. */
    public Future<LeaderboardEntry> rankOf(String boardId, UUID userId) {
        return around(boardId, userId, 0).map(slice -> slice == null ? null : slice.entries().get(0));
    }

    /** The totals of {@code users} on board {@code boardId}; users not on it are left out. For audits. */
    public Future<Map<UUID, Long>> pointsOf(String boardId, Collection<UUID> users) {
        List<UUID> ids = List.copyOf(users);
        if (ids.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        List<String> args = new ArrayList<>(ids.size() + 1);
        args.add(LeaderboardKeys.members(boardId));
        ids.forEach(id -> args.add(id.toString()));
        return redis.hmget(args).compose(members -> {
            List<String> zmscore = new ArrayList<>();
            zmscore.add(LeaderboardKeys.board(boardId));
            List<UUID> present = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (members.get(i) != null) {
                    present.add(ids.get(i));
                    zmscore.add(members.get(i).toString());
                }
            }
            if (present.isEmpty()) {
                return Future.succeededFuture(Map.<UUID, Long>of());
            }
            return redis.zmscore(zmscore).map(scores -> {
                Map<UUID, Long> points = new HashMap<>();
                for (int i = 0; i < present.size(); i++) {
                    if (scores.get(i) != null) {
                        points.put(present.get(i), score(scores.get(i)));
                    }
                }
                return points;
            });
        });
    }

    /** Runs {@code script} by its SHA-1, sending it only when Redis does not know it (after a restart). */
    Future<Response> eval(String script, List<String> keysAndArgs) {
        return RedisScripts.run(redis, script, keysAndArgs);
    }

    RedisAPI redis() {
        return redis;
    }

    /** A script's reply: size, first position, then member, score pairs. */
    private static BoardSlice toSlice(Response reply) {
        long size = reply.get(0).toLong();
        int first = reply.get(1).toInteger();
        List<LeaderboardEntry> entries = new ArrayList<>();
        for (int i = 2; i + 1 < reply.size(); i += 2) {
            String member = reply.get(i).toString();
            entries.add(new LeaderboardEntry(first + entries.size() + 1, TieBreak.userId(member),
                score(reply.get(i + 1)), TieBreak.reachedAt(member)));
        }
        return new BoardSlice(size, entries);
    }

    private static long score(Response score) {
        return Math.round(Double.parseDouble(score.toString()));
    }
}
