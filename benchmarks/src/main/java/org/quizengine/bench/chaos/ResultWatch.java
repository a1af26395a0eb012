package org.quizengine.bench.chaos;

import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.quizengine.bench.audit.StoreAudit;

/**
 * Watches, during a chaos run, when the results of matches that finished during a store outage
 * land (in PostgreSQL and on the boards), by asking the stores directly (not through the proxy the
 * run cuts) every {@value #POLL_MILLIS} ms. The first time it sees a result landed is its stored time.
 */
public final class ResultWatch {
    static final long POLL_MILLIS = 250;

    private final Vertx vertx;
    private final StoreAudit stores;
    private final List<long[]> outages = new CopyOnWriteArrayList<>();
    private final Set<UUID> watched = ConcurrentHashMap.newKeySet();
    /** Matches seen finishing lately, so that those that finished just before an outage began are watched too. */
    private final Map<UUID, Long> recentlyFinished = new ConcurrentHashMap<>();
    private final Map<UUID, Long> landedAt = new ConcurrentHashMap<>();
    private volatile boolean polling;
    private long timer = -1;

    public ResultWatch(Vertx vertx, StoreAudit stores) {
        this.vertx = vertx;
        this.stores = stores;
    }

    /** A store is cut from {@code atMillis}: results of matches finishing from a moment before then are watched. */
    public void outageStarted(long atMillis) {
        outages.add(new long[] {atMillis - LateResults.IN_FLIGHT_MILLIS, Long.MAX_VALUE});
        recentlyFinished.forEach((matchId, finishedAt) -> {
            if (finishedAt >= atMillis - LateResults.IN_FLIGHT_MILLIS) {
                watched.add(matchId);
            }
        });
        if (timer < 0) {
            timer = vertx.setPeriodic(POLL_MILLIS, id -> poll());
        }
    }

    public void outageEnded(long atMillis) {
        long[] open = outages.get(outages.size() - 1);
        outages.set(outages.size() - 1, new long[] {open[0], atMillis});
    }

    /** A player saw {@code matchId} finish at {@code atMillis}: watched if that was in an outage. */
    public void finished(UUID matchId, long atMillis) {
        recentlyFinished.put(matchId, atMillis);
        recentlyFinished.values().removeIf(at -> at < atMillis - 2 * LateResults.IN_FLIGHT_MILLIS);
        if (outages.stream().anyMatch(o -> atMillis >= o[0] && atMillis <= o[1])) {
            watched.add(matchId);
        }
    }

    /** When each watched result was first seen landed. */
    public Map<UUID, Long> landedAt() {
        return Map.copyOf(landedAt);
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void poll() {
        if (polling) {
            return; // the previous read is still out
        }
        Set<UUID> waiting = new HashSet<>(watched);
        waiting.removeAll(landedAt.keySet());
        if (waiting.isEmpty()) {
            return;
        }
        polling = true;
        stores.landedAmong(waiting).onComplete(read -> {
            polling = false;
            if (read.succeeded()) {
                long now = System.currentTimeMillis();
                read.result().forEach(id -> landedAt.putIfAbsent(id, now));
            }
        });
    }
}
