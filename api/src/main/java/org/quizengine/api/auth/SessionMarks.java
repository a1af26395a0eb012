package org.quizengine.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.quizengine.shared.ErrorCode;

/**
 * What every node knows of a session from Redis, without asking PostgreSQL: a <em>revoked</em> mark
 * ({@value #REVOKED_PREFIX}{@code <sid>}, valued with the code its tokens are refused with) and a
 * <em>live</em> mark ({@value #LIVE_PREFIX}{@code <sid>}, valued with the account's role when it was
 * written), both as long as an access token can live; and, for an account whose role an admin
 * changed, a <em>role</em> mark ({@value #ROLE_PREFIX}{@code <userId>}, no expiry) that wins over
 * any live mark, whenever that was written. A session with neither session mark is unknown here
 * (never checked since Redis started, or never issued): the caller asks PostgreSQL and marks it live.
 *
 * <p>Checks that arrive together share one {@code MGET}: a connect surge of thousands of sockets
 * is a handful of round trips instead of one pooled connection per check, which queued them past
 * the pool's wait limit and its 1 s timeout (3,000 sockets opened at once: 2,763 checks refused by
 * the pool, 317 timed out, every one of them then asked PostgreSQL).
 */
final class SessionMarks {
    static final String REVOKED_PREFIX = "session:revoked:";
    static final String LIVE_PREFIX = "session:live:";
    static final String ROLE_PREFIX = "user:role:";
    /** How long a read or a mark waits for Redis before treating it as unreachable. */
    static final long TIMEOUT_MS = 1_000;
    private static final int MAX_SESSIONS_PER_READ = 256;
    private static final int MAX_READS_IN_FLIGHT = 4;
    private static final int KEYS_PER_SESSION = 3;
    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);

    private final RedisAPI redis;
    private final String ttlSeconds;
    private final ArrayDeque<Pending> queued = new ArrayDeque<>();
    private int inFlight;

    SessionMarks(RedisAPI redis, Duration ttl) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.ttlSeconds = Long.toString(ttl.toSeconds());
    }

    /** A session as Redis knows it: revoked (with the code to refuse it with), live with its account's role, or unknown. */
    record Mark(ErrorCode revoked, Role role) {
        static final Mark UNKNOWN = new Mark(null, null);

        boolean unknown() {
            return revoked == null && role == null;
        }
    }

    /** The marks of {@code userId}'s session, read together with any other checks waiting; completes on the caller's context. */
    Future<Mark> read(UUID sessionId, UUID userId) {
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        Promise<Mark> read = context == null ? Promise.promise() : context.promise();
        synchronized (queued) {
            queued.add(new Pending(sessionId, userId, read, System.nanoTime()));
        }
        readQueued();
        return read.future();
    }

    /** Marks the session revoked: its tokens are refused with {@code code} on every node. */
    Future<?> markRevoked(UUID sessionId, ErrorCode code) {
        return set(REVOKED_PREFIX + sessionId, code.name());
    }

    /** Marks the session live with the account's current role. */
    Future<?> markLive(UUID sessionId, Role role) {
        return set(LIVE_PREFIX + sessionId, role.name());
    }

    /** Marks the account's role, for every session of it from now on, over whatever its live marks say. */
    Future<?> markRole(UUID userId, Role role) {
        return redis.set(List.of(ROLE_PREFIX + userId, role.name())).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private Future<?> set(String key, String value) {
        return redis.set(List.of(key, value, "EX", ttlSeconds)).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Sends one MGET for what is queued unless {@value #MAX_READS_IN_FLIGHT} are under way; each that ends sends the next. */
    private void readQueued() {
        List<Pending> batch = new ArrayList<>();
        List<Pending> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (queued) {
            while (!queued.isEmpty() && now - queued.peek().queuedAt() > TIMEOUT_NANOS) {
                expired.add(queued.poll()); // its caller has asked PostgreSQL already (a Redis that hangs)
            }
            if (inFlight < MAX_READS_IN_FLIGHT) {
                while (!queued.isEmpty() && batch.size() < MAX_SESSIONS_PER_READ) {
                    batch.add(queued.poll());
                }
            }
            if (!batch.isEmpty()) {
                inFlight++;
            }
        }
        expired.forEach(pending -> pending.read().tryFail(new TimeoutException("Redis did not answer in time")));
        if (batch.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(batch.size() * KEYS_PER_SESSION);
        for (Pending pending : batch) {
            keys.add(REVOKED_PREFIX + pending.sessionId());
            keys.add(LIVE_PREFIX + pending.sessionId());
            keys.add(ROLE_PREFIX + pending.userId());
        }
        Future<Response> values;
        try {
            values = redis.mget(keys).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) { // a closed client, say: this batch fails, the queue goes on
            values = Future.failedFuture(e);
        }
        values.onComplete(done -> {
            synchronized (queued) {
                inFlight--;
            }
            try {
                for (int i = 0; i < batch.size(); i++) {
                    Promise<Mark> read = batch.get(i).read();
                    if (done.failed()) {
                        read.tryFail(done.cause());
                    } else {
                        int at = KEYS_PER_SESSION * i;
                        read.tryComplete(markOf(done.result().get(at), done.result().get(at + 1), done.result().get(at + 2)));
                    }
                }
            } catch (RuntimeException unreadable) { // a reply of another shape: those not told yet ask PostgreSQL
                batch.forEach(pending -> pending.read().tryFail(unreadable));
            } finally {
                readQueued();
            }
        });
    }

    private static Mark markOf(Response revoked, Response live, Response accountRole) {
        if (revoked != null) {
            return new Mark(ErrorCode.ACCOUNT_DISABLED.name().equals(revoked.toString())
                ? ErrorCode.ACCOUNT_DISABLED : ErrorCode.SESSION_REVOKED, null);
        }
        if (live == null) {
            return Mark.UNKNOWN;
        }
        Role role = roleOf(accountRole != null ? accountRole : live);
        return role == null ? Mark.UNKNOWN : new Mark(null, role);
    }

    private static Role roleOf(Response value) {
        try {
            return Role.valueOf(value.toString());
        } catch (IllegalArgumentException written) { // by a newer node: ask PostgreSQL
            return null;
        }
    }

    private record Pending(UUID sessionId, UUID userId, Promise<Mark> read, long queuedAt) {
    }
}
