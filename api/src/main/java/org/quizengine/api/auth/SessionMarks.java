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
import org.quizengine.shared.ErrorCode;

/**
 * What every node knows of a session from Redis, without asking PostgreSQL: a <em>revoked</em> mark
 * ({@value #REVOKED_PREFIX}{@code <sid>}, valued with the code its tokens are refused with) and a
 * <em>live</em> mark ({@value #LIVE_PREFIX}{@code <sid>}, valued with the account's current role).
 * Both last as long as an access token can live. A session with neither is unknown here (never
 * checked since Redis started, never issued, or its role just changed): the caller asks PostgreSQL
 * and marks it live.
 *
 * <p>Checks that arrive together share one {@code MGET}: a connect surge of thousands of sockets
 * is a handful of round trips instead of one pooled connection per check, which queued them past
 * the pool's wait limit and its 1 s timeout (3,000 sockets opened at once: 2,763 checks refused by
 * the pool, 317 timed out, every one of them then asked PostgreSQL).
 */
final class SessionMarks {
    static final String REVOKED_PREFIX = "session:revoked:";
    static final String LIVE_PREFIX = "session:live:";
    /** How long a read or a mark waits for Redis before treating it as unreachable. */
    static final long TIMEOUT_MS = 1_000;
    private static final int MAX_SESSIONS_PER_READ = 256;
    private static final int MAX_READS_IN_FLIGHT = 4;

    private final RedisAPI redis;
    private final String ttlSeconds;
    private final ArrayDeque<Pending> queued = new ArrayDeque<>();
    private int inFlight;

    SessionMarks(RedisAPI redis, Duration ttl) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.ttlSeconds = Long.toString(ttl.toSeconds());
    }

    /** A session as Redis knows it: revoked (with the code to refuse it with), live with a role, or unknown. */
    record Mark(ErrorCode revoked, Role role) {
        static final Mark UNKNOWN = new Mark(null, null);

        boolean unknown() {
            return revoked == null && role == null;
        }
    }

    /** The session's marks, read together with any other checks waiting; completes on the caller's context. */
    Future<Mark> read(UUID sessionId) {
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        Promise<Mark> read = context == null ? Promise.promise() : context.promise();
        synchronized (queued) {
            queued.add(new Pending(sessionId, read));
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

    /** Forgets the live marks of these sessions, so their next check reads the account from PostgreSQL. */
    Future<?> forgetLive(List<UUID> sessionIds) {
        if (sessionIds.isEmpty()) {
            return Future.succeededFuture();
        }
        return redis.del(sessionIds.stream().map(id -> LIVE_PREFIX + id).toList())
            .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private Future<?> set(String key, String value) {
        return redis.set(List.of(key, value, "EX", ttlSeconds)).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Sends one MGET for what is queued unless {@value #MAX_READS_IN_FLIGHT} are under way; each that ends sends the next. */
    private void readQueued() {
        List<Pending> batch = new ArrayList<>();
        synchronized (queued) {
            if (inFlight >= MAX_READS_IN_FLIGHT || queued.isEmpty()) {
                return;
            }
            while (!queued.isEmpty() && batch.size() < MAX_SESSIONS_PER_READ) {
                batch.add(queued.poll());
            }
            inFlight++;
        }
        List<String> keys = new ArrayList<>(batch.size() * 2);
        for (Pending pending : batch) {
            keys.add(REVOKED_PREFIX + pending.sessionId());
            keys.add(LIVE_PREFIX + pending.sessionId());
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
            for (int i = 0; i < batch.size(); i++) {
                Promise<Mark> read = batch.get(i).read();
                if (done.failed()) {
                    read.tryFail(done.cause());
                } else {
                    read.tryComplete(markOf(done.result().get(2 * i), done.result().get(2 * i + 1)));
                }
            }
            readQueued();
        });
    }

    private static Mark markOf(Response revoked, Response live) {
        if (revoked != null) {
            return new Mark(ErrorCode.ACCOUNT_DISABLED.name().equals(revoked.toString())
                ? ErrorCode.ACCOUNT_DISABLED : ErrorCode.SESSION_REVOKED, null);
        }
        if (live != null) {
            try {
                return new Mark(null, Role.valueOf(live.toString()));
            } catch (IllegalArgumentException written) { // by a newer node: ask PostgreSQL
                return Mark.UNKNOWN;
            }
        }
        return Mark.UNKNOWN;
    }

    private record Pending(UUID sessionId, Promise<Mark> read) {
    }
}
