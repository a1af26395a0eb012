package org.quizengine.engine.persistence;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.quizengine.engine.cluster.IndeterminateWrites;
import org.quizengine.engine.match.ResultSink;
import org.quizengine.shared.Wire;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.MatchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finished matches on their way to PostgreSQL and the Redis leaderboards, off the match's path.
 * A result is first put in a shared map (cluster-wide when clustered) and a spool file in the data
 * directory (so a restart does not lose it either), then written to each store; both writes are
 * idempotent, so a retry, or two nodes writing the same result, never double-counts. Only once
 * every store has it is the result dropped from the map.
 *
 * <p>A write that fails is tried again after 250 ms, doubling to at most {@value #MAX_RETRY_MILLIS}
 * ms between tries, for as long as it takes: a result lands within about that much of its store's
 * return. As soon as one result lands after failed tries, the others waiting are tried at once.
 * The tries belong to the node, not to the match that handed the result in: they run on the
 * outbox's own context, which no undeploy ends (a finished match's verticle goes after its linger,
 * and Vert.x cancels the timers of a verticle's context with it). Every {@value #SWEEP_MILLIS} ms
 * the outbox also looks through the shared map and takes on any result it is not already trying
 * that finished more than that long ago: one left by a node that died or restarted, or one its own
 * node somehow stopped trying. So while a store is down, every node tries every result.
 */
public final class ResultOutbox implements ResultSink {
    static final long FIRST_RETRY_MILLIS = 250;
    // At most 4 s between tries, so a result lands within 5 s of its store's return, the write included.
    static final long MAX_RETRY_MILLIS = 4_000;
    /** How often the outbox looks for pending results that no one here is trying. */
    static final long SWEEP_MILLIS = 5_000;
    /**
     * A try that hangs (a store that neither answers nor refuses) is given up and made again: short,
     * so a try begun just before such a store returns does not hold its result past the 5 s promise.
     */
    static final long ATTEMPT_TIMEOUT_MILLIS = 3_000;
    /** How long one count of the cluster's backlog is reused. */
    static final long BACKLOG_READ_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(ResultOutbox.class);

    private final Vertx vertx;
    private final ContextInternal context;
    private final String spoolDir;
    private final List<Function<MatchResult, Future<Boolean>>> stores;
    private final Function<UUID, Future<Boolean>> stored;
    /** Results this node is writing or waiting to write again, until they land. */
    private final Set<String> trying = ConcurrentHashMap.newKeySet();
    /** Results between two tries: the timer of the next, and the try to make at once if a store is seen back. */
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger attemptsUnderWay = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean closed;
    private volatile BacklogRead lastBacklogRead;
    private long sweepTimer = -1;

    /** @param stores each store's idempotent write, in order (PostgreSQL first, then the leaderboards) */
    public ResultOutbox(Vertx vertx, String spoolDir, List<Function<MatchResult, Future<Boolean>>> stores) {
        this(vertx, spoolDir, stores, matchId -> Future.succeededFuture(false));
    }

    /** @param stored whether the first store already holds a match's result */
    public ResultOutbox(Vertx vertx, String spoolDir, List<Function<MatchResult, Future<Boolean>>> stores,
                        Function<UUID, Future<Boolean>> stored) {
        this.vertx = vertx;
        this.stored = stored;
        // A context of its own, not a verticle's: nothing undeploys it, so its timers last as long as Vert.x.
        this.context = ((VertxInternal) vertx).createEventLoopContext();
        this.spoolDir = spoolDir;
        this.stores = List.copyOf(stores);
    }

    /** Picks up what earlier runs left pending (see {@link #resumePending}), then sweeps the shared map from time to time. */
    public Future<Integer> start() {
        // The sweep runs even if this first pick-up fails (a side without quorum cannot read the map yet).
        return resumePending().onComplete(count -> context.runOnContext(v -> {
            if (!closed && sweepTimer < 0) {
                sweepTimer = context.setPeriodic(SWEEP_MILLIS, id -> sweep());
            }
        }));
    }

    /** Stops trying (at shutdown, before the stores close); what is pending stays in the map and the spool. */
    public void close() {
        closed = true;
        context.runOnContext(v -> {
            if (sweepTimer >= 0) {
                vertx.cancelTimer(sweepTimer);
            }
        });
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
                pending.forEach((key, json) -> {
                    if (!trying.contains(key)) {
                        keepTrying(key, Wire.decode(json, MatchResult.class));
                    }
                });
                return pending.size();
            });
    }

    @Override
    public Future<Void> submit(MatchResult result) {
        String key = result.matchId().toString();
        String json = Wire.encode(result);
        return Future.all(map().compose(map -> IndeterminateWrites.retried(vertx, () -> map.put(key, json))),
                vertx.fileSystem().writeFile(spoolFile(key), Buffer.buffer(json)))
            .<Void>mapEmpty()
            // Tried even if the shared map or the spool refused it: this node holds it, and nobody else may.
            .onComplete(v -> keepTrying(key, result));
    }

    @Override
    public Future<Boolean> hasResult(UUID matchId) {
        String key = matchId.toString();
        return map().compose(map -> map.get(key))
            .compose(pending -> pending != null ? Future.succeededFuture(true) : stored.apply(matchId));
    }

    /** Waits (at most {@code maxMillis}) for the tries this node has under way to finish. */
    public Future<Void> flush(long maxMillis) {
        Promise<Void> flushed = Promise.promise();
        long until = System.currentTimeMillis() + maxMillis;
        context.runOnContext(start -> context.setPeriodic(50, id -> {
            if (attemptsUnderWay.get() == 0 || System.currentTimeMillis() > until) {
                vertx.cancelTimer(id);
                flushed.tryComplete();
            }
        }));
        return flushed.future();
    }

    /**
     * Results this node wrote to every store since it started. While a store is down every node
     * tries every pending result, so after an outage one result may be counted by several nodes.
     */
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

    /**
     * The cluster-wide backlog as of {@code now}. Counting it reads every pending result, so a count
     * is reused for {@link #BACKLOG_READ_MILLIS} (however often metrics are scraped) and shared by
     * the callers that ask while it is read; the oldest one's age is always as of {@code now}. The
     * answer comes on the caller's context, whichever context started the shared count.
     */
    public Future<Backlog> backlog(long now) {
        ContextInternal caller = (ContextInternal) vertx.getOrCreateContext();
        BacklogRead last = lastBacklogRead;
        if (last == null || now - last.readAt() >= BACKLOG_READ_MILLIS || last.counted().failed()) {
            Future<PendingCount> counted = map().compose(AsyncMap::entries).map(entries -> {
                long oldest = Long.MAX_VALUE;
                for (String json : entries.values()) {
                    oldest = Math.min(oldest, finishedAt(json));
                }
                return new PendingCount(entries.size(), oldest);
            });
            last = new BacklogRead(now, counted);
            lastBacklogRead = last;
        }
        Promise<Backlog> answer = caller.promise();
        last.counted().map(count -> new Backlog(count.results(),
            count.results() == 0 ? 0 : Math.max(0, now - count.oldestFinishedAt()))).onComplete(answer);
        return answer.future();
    }

    /** A count of the backlog started at {@code readAt}. */
    private record BacklogRead(long readAt, Future<PendingCount> counted) {
    }

    /** How many results were pending, and when the oldest of them finished. */
    private record PendingCount(int results, long oldestFinishedAt) {
    }

    private record Waiting(long timerId, Runnable tryNow) {
    }

    /** Takes the result on, on the outbox's context, unless this node is already trying it. */
    private void keepTrying(String key, MatchResult result) {
        context.runOnContext(v -> {
            if (!closed && trying.add(key)) {
                attempt(key, result, 1, FIRST_RETRY_MILLIS);
            }
        });
    }

    private void attempt(String key, MatchResult result, int tries, long nextDelayMillis) {
        attemptsUnderWay.incrementAndGet();
        writeEverywhere(key, result)
            .timeout(ATTEMPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
            .onComplete(done -> {
                attemptsUnderWay.decrementAndGet();
                if (done.succeeded()) {
                    landed(key, tries);
                } else if (closed) {
                    trying.remove(key);
                } else {
                    tryAgainLater(key, result, tries, nextDelayMillis, done.cause());
                }
            });
    }

    private void landed(String key, int tries) {
        trying.remove(key);
        written.incrementAndGet();
        LOG.atInfo().addKeyValue("match", key)
            .log("Match {} result stored{}", key, tries > 1 ? " after " + tries + " tries" : "");
        if (tries > 1) {
            // The stores take results again: the others waiting here need not sit out their pause.
            waiting.forEach((other, next) -> {
                if (waiting.remove(other, next) && vertx.cancelTimer(next.timerId())) {
                    next.tryNow().run();
                }
            });
        }
    }

    private void tryAgainLater(String key, MatchResult result, int tries, long delayMillis, Throwable failure) {
        // Once per doubling of the tries: an outage of minutes must not flood the log.
        if (Integer.bitCount(tries) == 1) {
            LOG.atWarn().addKeyValue("match", key)
                .log("Match {} result not stored yet ({}); try {}, next in {} ms", key, failure.getMessage(), tries,
                    delayMillis);
        }
        Runnable again = () -> attempt(key, result, tries + 1, Math.min(delayMillis * 2, MAX_RETRY_MILLIS));
        long timer = context.setTimer(delayMillis, id -> {
            waiting.remove(key);
            again.run();
        });
        // Hurried only if its timer can still be cancelled, so a try is never made twice nor lost.
        waiting.put(key, new Waiting(timer, again));
    }

    private Future<Void> writeEverywhere(String key, MatchResult result) {
        Future<Boolean> chain = Future.succeededFuture(true);
        for (Function<MatchResult, Future<Boolean>> store : stores) {
            chain = chain.compose(previous -> store.apply(result));
        }
        return chain.compose(v -> map().compose(map -> map.remove(key)))
            .compose(v -> vertx.fileSystem().delete(spoolFile(key)).recover(e -> Future.succeededFuture()));
    }

    /**
     * Takes on pending results that finished a while ago and that this node is not trying. Reads
     * only the keys, then the results it does not know: during a long outage it is trying them all.
     */
    private void sweep() {
        long settled = System.currentTimeMillis() - SWEEP_MILLIS;
        map().compose(map -> map.keys().onSuccess(keys -> keys.stream()
                .filter(key -> !trying.contains(key))
                .forEach(key -> map.get(key).onSuccess(json -> takeOnIfSettled(key, json, settled)))))
            .onFailure(e -> LOG.warn("Could not look for pending results: {}", e.getMessage()));
    }

    // One gone meanwhile has landed; a fresh one is being written by the node that finished it: no need to race it.
    private void takeOnIfSettled(String key, String json, long settled) {
        if (json == null) {
            return;
        }
        try {
            if (finishedAt(json) <= settled) {
                keepTrying(key, Wire.decode(json, MatchResult.class));
            }
        } catch (IllegalArgumentException e) {
            LOG.atWarn().addKeyValue("match", key).log("Pending result {} cannot be read: {}", key, e.getMessage());
        }
    }

    /**
     * When a pending result's match finished, read from the head of its JSON without decoding the rest:
     * while a store is down thousands wait, and the backlog is counted each time metrics are read. What
     * follows the field is not checked here; a result is decoded whole before it is written.
     */
    static long finishedAt(String json) {
        try (JsonParser parser = Wire.mapper().getFactory().createParser(new StringReader(json))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a pending result is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("finishedAt".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    return parser.getLongValue();
                }
                parser.skipChildren();
            }
            throw new IllegalArgumentException("a pending result has no finishedAt");
        } catch (IOException e) {
            throw new IllegalArgumentException("a pending result is not JSON: " + e.getMessage(), e);
        }
    }

    private Future<AsyncMap<String, String>> map() {
        return vertx.sharedData().getAsyncMap(Addresses.PENDING_RESULTS_MAP);
    }

    private String spoolFile(String key) {
        return spoolDir + File.separator + key + ".json";
    }
}
