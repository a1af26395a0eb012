package org.quizengine.engine.persistence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.quizengine.engine.match.ResultSink;
import org.quizengine.shared.Wire;
import org.quizengine.shared.match.MatchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finished matches on their way to PostgreSQL and the Redis leaderboards, off the match's path.
 * A result is first put in a shared map (cluster-wide when clustered) and a spool file in the data
 * directory (so a restart does not lose it either), then written to each store;
 * both writes are idempotent, so a retry never double-counts. A failed write is retried with
 * backoff until it lands; only then is the result dropped from the map.
 */
public final class ResultOutbox implements ResultSink {
    static final String MAP_NAME = "quiz.pending-results";
    private static final Logger LOG = LoggerFactory.getLogger(ResultOutbox.class);
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 30_000;

    private final Vertx vertx;
    private final String spoolDir;
    private final List<Function<MatchResult, Future<Boolean>>> stores;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong written = new AtomicLong();

    /** @param stores each store's idempotent write, in order (PostgreSQL first, then the leaderboards) */
    public ResultOutbox(Vertx vertx, String spoolDir, List<Function<MatchResult, Future<Boolean>>> stores) {
        this.vertx = vertx;
        this.spoolDir = spoolDir;
        this.stores = List.copyOf(stores);
    }

    /** Picks up results left pending by an earlier run (or, in a cluster, by a node that is gone). */
    public Future<Integer> resumePending() {
        Map<String, String> pending = new ConcurrentHashMap<>();
        return vertx.fileSystem().mkdirs(spoolDir)
            .compose(v -> vertx.fileSystem().readDir(spoolDir, ".*\\.json"))
            .compose(files -> {
                List<Future<Void>> reads = new ArrayList<>(files.size());
                for (String file : files) {
                    reads.add(vertx.fileSystem().readFile(file).map(buffer -> {
                        MatchResult result = Wire.decode(buffer.getBytes(), MatchResult.class);
                        pending.put(result.matchId().toString(), buffer.toString());
                        return null;
                    }));
                }
                return Future.all(reads);
            })
            .compose(v -> map().compose(AsyncMap::entries))
            .map(entries -> {
                pending.putAll(entries);
                pending.forEach((key, json) -> write(key, Wire.decode(json, MatchResult.class), FIRST_RETRY_MILLIS));
                return pending.size();
            });
    }

    @Override
    public Future<Void> submit(MatchResult result) {
        String key = result.matchId().toString();
        String json = Wire.encode(result);
        return Future.all(map().compose(map -> map.put(key, json)),
                vertx.fileSystem().writeFile(spoolFile(key), io.vertx.core.buffer.Buffer.buffer(json)))
            .<Void>mapEmpty()
            .onSuccess(v -> write(key, result, FIRST_RETRY_MILLIS));
    }

    /** Waits (at most {@code maxMillis}) for the writes this node has under way to finish. */
    public Future<Void> flush(long maxMillis) {
        io.vertx.core.Promise<Void> flushed = io.vertx.core.Promise.promise();
        long until = System.currentTimeMillis() + maxMillis;
        vertx.setPeriodic(50, id -> {
            if (inFlight.isEmpty() || System.currentTimeMillis() > until) {
                vertx.cancelTimer(id);
                flushed.tryComplete();
            }
        });
        return flushed.future();
    }

    /** Results written to every store since this node started. */
    public long written() {
        return written.get();
    }

    /** Results held but not yet written everywhere. */
    public Future<Integer> pending() {
        return map().compose(AsyncMap::size);
    }

    /** What waits in the outbox, cluster-wide: how many results, and how long ago the oldest finished. */
    public record Backlog(int pending, long oldestAgeMillis) {
    }

    /** The cluster-wide backlog as of {@code now} (reads every pending result: for operators, not a hot path). */
    public Future<Backlog> backlog(long now) {
        return map().compose(AsyncMap::entries).map(entries -> {
            long oldest = now;
            for (String json : entries.values()) {
                oldest = Math.min(oldest, Wire.decode(json, MatchResult.class).finishedAt());
            }
            return new Backlog(entries.size(), entries.isEmpty() ? 0 : Math.max(0, now - oldest));
        });
    }

    private void write(String key, MatchResult result, long retryMillis) {
        if (!inFlight.add(key)) {
            return;
        }
        Future<Boolean> chain = Future.succeededFuture(true);
        for (Function<MatchResult, Future<Boolean>> store : stores) {
            chain = chain.compose(previous -> store.apply(result));
        }
        chain.compose(v -> map().compose(map -> map.remove(key)))
            .compose(v -> vertx.fileSystem().delete(spoolFile(key)).recover(e -> Future.succeededFuture()))
            .onSuccess(v -> {
                inFlight.remove(key);
                written.incrementAndGet();
                LOG.info("Match {} result stored", key);
            })
            .onFailure(e -> {
                inFlight.remove(key);
                LOG.warn("Match {} result not stored yet ({}); retrying in {} ms", key, e.getMessage(), retryMillis);
                vertx.setTimer(retryMillis, id -> write(key, result, Math.min(retryMillis * 2, MAX_RETRY_MILLIS)));
            });
    }

    private Future<AsyncMap<String, String>> map() {
        return vertx.sharedData().getAsyncMap(MAP_NAME);
    }

    private String spoolFile(String key) {
        return spoolDir + java.io.File.separator + key + ".json";
    }
}
