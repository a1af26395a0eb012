package org.quizengine.api.protection;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.quizengine.api.storage.RedisScripts;

/**
 * Fixed-window counters in Redis, shared by every node. A window opens with the first count and
 * lasts its full length (the key's expiry); when it expires the count starts again from 0. Each
 * operation is one Lua script, so increment and expiry are atomic and a key is never left without
 * an expiry, even when nodes race or one dies between the two.
 *
 * <p>Fixed windows are one round trip and one key per subject; the price is that a client can send
 * up to twice the limit across the moment one window ends and the next begins. For limits meant
 * to stop floods and guessing, not to meter, that is acceptable.
 */
final class WindowCounters {
    /** How long a node waits for Redis before treating it as unreachable. */
    static final long TIMEOUT_MS = 1_000;

    // Returns {count, milliseconds until the window ends}.
    private static final String HIT = """
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return {count, ttl}
        """;

    // ARGV: one limit per key (0 = not counted), then the window in milliseconds. When a counter is
    // full, counts nothing and returns the milliseconds until the last full window ends; otherwise
    // counts one for each key and returns 0. One script, so parallel attempts cannot all slip past.
    private static final String RESERVE = """
        local window = ARGV[#ARGV]
        local wait = 0
        for i, key in ipairs(KEYS) do
          local limit = tonumber(ARGV[i])
          if limit > 0 and tonumber(redis.call('GET', key) or '0') >= limit then
            local ttl = redis.call('PTTL', key)
            if ttl > wait then wait = ttl end
          end
        end
        if wait > 0 then
          return wait
        end
        for i, key in ipairs(KEYS) do
          if tonumber(ARGV[i]) > 0 then
            redis.call('INCR', key)
            if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, window) end
          end
        end
        return 0
        """;

    // ARGV: one limit per key (0 = not counted). Takes one count back from each counted key that has one.
    private static final String GIVE_BACK = """
        for i, key in ipairs(KEYS) do
          if tonumber(ARGV[i]) > 0 and tonumber(redis.call('GET', key) or '0') > 0 then
            redis.call('DECR', key)
          end
        end
        return 0
        """;

    private final RedisAPI redis;

    WindowCounters(RedisAPI redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    /** Counts one more for {@code key}; the count so far in this window and the time left in it. */
    Future<Hit> hit(String key, Duration window) {
        return eval(HIT, List.of(key), List.of(Long.toString(window.toMillis())))
            .map(response -> new Hit(response.get(0).toLong(), Duration.ofMillis(response.get(1).toLong())));
    }

    /**
     * Counts one attempt on each of {@code keys} whose limit is not 0, unless one of them is already
     * full: then counts nothing and answers how long until the last full window ends (zero: counted).
     */
    Future<Duration> reserve(List<String> keys, List<Integer> limits, Duration window) {
        List<String> args = new ArrayList<>(limits.stream().map(String::valueOf).toList());
        args.add(Long.toString(window.toMillis()));
        return eval(RESERVE, keys, args).map(response -> Duration.ofMillis(Math.max(0, response.toLong())));
    }

    /** Takes back one count from each of {@code keys} whose limit is not 0: an attempt that turned out fine. */
    Future<Void> giveBack(List<String> keys, List<Integer> limits) {
        return eval(GIVE_BACK, keys, limits.stream().map(String::valueOf).toList()).mapEmpty();
    }

    Future<Void> delete(String key) {
        return redis.del(List.of(key)).<Void>mapEmpty().timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private Future<Response> eval(String script, List<String> keys, List<String> args) {
        List<String> keysAndArgs = new ArrayList<>(1 + keys.size() + args.size());
        keysAndArgs.add(Integer.toString(keys.size()));
        keysAndArgs.addAll(keys);
        keysAndArgs.addAll(args);
        return RedisScripts.run(redis, script, keysAndArgs).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** One counted request: how many so far in this window, and how long until it ends. */
    record Hit(long count, Duration remaining) {
        /** Whole seconds until the window ends, at least 1, as {@code Retry-After} wants. */
        long secondsLeft() {
            return Math.max(1, (remaining.toMillis() + 999) / 1000);
        }
    }
}
