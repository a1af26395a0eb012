package org.quizengine.api.leaderboard;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.PlayerResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leaderboards, as Redis sorted sets (member: user id, score: sum of match scores), one per
 * {@link Period} and period instance.
 *
 * <p>Applying a match is idempotent: one Lua script atomically sets a per-match marker and, only
 * if the marker was not there yet, adds every player's score to the three boards. Results are
 * retried until applied, so a retry after a lost reply must not count twice.
 */
public final class LeaderboardStore {
    public static final int MAX_PAGE_SIZE = 100;

    /** How long a match is remembered as applied; a retry later than this would count again. */
    public static final Duration APPLIED_MARKER_TTL = Duration.ofDays(35);

    /** Results older than this are not applied at all: their marker could expire before a retry. */
    static final Duration MAX_RESULT_AGE = APPLIED_MARKER_TTL.minusDays(1);

    static final String APPLIED_PREFIX = Period.KEY_PREFIX + "applied:";

    // KEYS: 1 the applied marker, 2 the all-time board, 3 the week board, 4 the day board.
    // ARGV: 1 marker TTL (s), 2 week board expiry (unix s), 3 day board expiry (unix s),
    //       then pairs of user id, score.
    static final String APPLY_SCRIPT = """
        if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
          return 0
        end
        for i = 4, #ARGV, 2 do
          redis.call('ZINCRBY', KEYS[2], ARGV[i + 1], ARGV[i])
          redis.call('ZINCRBY', KEYS[3], ARGV[i + 1], ARGV[i])
          redis.call('ZINCRBY', KEYS[4], ARGV[i + 1], ARGV[i])
        end
        redis.call('EXPIREAT', KEYS[3], ARGV[2])
        redis.call('EXPIREAT', KEYS[4], ARGV[3])
        return 1
        """;

    private static final Logger LOG = LoggerFactory.getLogger(LeaderboardStore.class);
    private static final String APPLY_SCRIPT_SHA = sha1Hex(APPLY_SCRIPT);

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
        List<String> keysAndArgs = new ArrayList<>(8 + 2 * result.players().size());
        keysAndArgs.add("4");
        keysAndArgs.add(appliedMarker(result.matchId()));
        keysAndArgs.add(Period.ALL.key(finishedAt));
        keysAndArgs.add(Period.WEEK.key(finishedAt));
        keysAndArgs.add(Period.DAY.key(finishedAt));
        keysAndArgs.add(Long.toString(APPLIED_MARKER_TTL.toSeconds()));
        keysAndArgs.add(Long.toString(Period.WEEK.expiresAt(finishedAt).getEpochSecond()));
        keysAndArgs.add(Long.toString(Period.DAY.expiresAt(finishedAt).getEpochSecond()));
        for (PlayerResult player : result.players()) {
            keysAndArgs.add(player.userId().toString());
            keysAndArgs.add(Integer.toString(player.score()));
        }
        return runApplyScript(keysAndArgs).map(reply -> reply != null && reply.toInteger() == 1);
    }

    /**
     * The key that exists while {@code matchId} counts as applied to the boards (for
     * {@link #APPLIED_MARKER_TTL}); lets an audit tell a result still on its way from one never applied.
     */
    public static String appliedMarker(UUID matchId) {
        return APPLIED_PREFIX + matchId;
    }

    /** EVALSHA saves sending the script each time; Redis forgets scripts on restart, hence EVAL. */
    private Future<Response> runApplyScript(List<String> keysAndArgs) {
        List<String> evalsha = new ArrayList<>(keysAndArgs.size() + 1);
        evalsha.add(APPLY_SCRIPT_SHA);
        evalsha.addAll(keysAndArgs);
        return redis.evalsha(evalsha).recover(failure -> {
            if (failure.getMessage() == null || !failure.getMessage().startsWith("NOSCRIPT")) {
                return Future.failedFuture(failure);
            }
            List<String> eval = new ArrayList<>(keysAndArgs.size() + 1);
            eval.add(APPLY_SCRIPT);
            eval.addAll(keysAndArgs);
            return redis.eval(eval);
        });
    }

    /**
     * A page of the board of {@code period} that contains {@code now}, best first.
     *
     * @param offset 0-based position of the first entry
     * @param limit  1 to {@link #MAX_PAGE_SIZE}
     */
    public Future<List<LeaderboardEntry>> top(Period period, Instant now, int offset, int limit) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(now, "now");
        if (offset < 0) {
            return Future.failedFuture(new QuizException(ErrorCode.VALIDATION_FAILED, "offset must not be negative"));
        }
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            return Future.failedFuture(new QuizException(ErrorCode.VALIDATION_FAILED,
                "limit must be between 1 and " + MAX_PAGE_SIZE));
        }
        String stop = Long.toString((long) offset + limit - 1);
        return redis.zrevrange(List.of(period.key(now), Integer.toString(offset), stop, "WITHSCORES"))
            .map(reply -> toEntries(reply, offset));
    }

    /** {@code userId}'s line on the board of {@code period} containing {@code now}, or {@code null} if absent. */
    public Future<LeaderboardEntry> rankOf(Period period, Instant now, UUID userId) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(userId, "userId");
        String key = period.key(now);
        String member = userId.toString();
        Future<Response> rank = redis.zrevrank(key, member);
        Future<Response> score = redis.zscore(key, member);
        return Future.all(rank, score).map(both -> {
            // Both are null when absent; the board may also expire between the two reads.
            if (rank.result() == null || score.result() == null) {
                return null;
            }
            return new LeaderboardEntry(rank.result().toInteger() + 1, userId, score(score.result()));
        });
    }

    /**
     * Takes {@code userId} off the all-time board and off the boards of the current and the previous
     * week and day (by this store's clock), as when their account is deleted. Idempotent.
     */
    public Future<Void> removePlayer(UUID userId) {
        Objects.requireNonNull(userId, "userId");
        Instant now = clock.instant();
        List<String> keys = List.of(Period.ALL.key(now), Period.WEEK.key(now), Period.WEEK.key(now.minus(Duration.ofDays(7))),
            Period.DAY.key(now), Period.DAY.key(now.minus(Duration.ofDays(1))));
        String member = userId.toString();
        return Future.all(keys.stream().map(key -> redis.zrem(List.of(key, member))).toList()).mapEmpty();
    }

    /**
     * RESP3 (what Redis 6+ speaks to this client) answers WITHSCORES with [member, score] pairs;
     * RESP2 with a flat member, score, member, score list. Both are read.
     */
    private static List<LeaderboardEntry> toEntries(Response reply, int offset) {
        List<LeaderboardEntry> entries = new ArrayList<>();
        if (reply == null || reply.size() == 0) {
            return entries;
        }
        boolean pairs = reply.get(0).type() == ResponseType.MULTI;
        int step = pairs ? 1 : 2;
        for (int i = 0; i < reply.size(); i += step) {
            Response member = pairs ? reply.get(i).get(0) : reply.get(i);
            Response score = pairs ? reply.get(i).get(1) : reply.get(i + 1);
            entries.add(new LeaderboardEntry(offset + entries.size() + 1, UUID.fromString(member.toString()),
                score(score)));
        }
        return entries;
    }

    private static long score(Response score) {
        return Math.round(Double.parseDouble(score.toString()));
    }

    private static String sha1Hex(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
        }
    }
}
