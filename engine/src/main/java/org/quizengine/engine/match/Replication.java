package org.quizengine.engine.match;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.Map;
import java.util.UUID;
import org.quizengine.shared.Wire;
import org.quizengine.shared.match.MatchSnapshot;

/**
 * Live matches' state, replicated in the cluster (a Hazelcast map with one synchronous backup), so
 * a match outlives the node running it. Each record names its owner; every write is a
 * compare-and-set against the record the owner last wrote, so after another node has taken a match
 * over, the old owner's next write fails and it stops: a match never runs on two nodes at once.
 * On a single node nothing is replicated.
 */
public interface Replication {
    String MAP_NAME = "quiz.live-matches";

    /** The replicated form of a match: who runs it, and where it was. */
    record Replicated(String owner, MatchSnapshot snapshot) {
    }

    /** Whether steps are replicated at all; a single node keeps no copy and skips the snapshot. */
    default boolean enabled() {
        return true;
    }

    /** Records a new match owned by {@code owner}; returns the stored form for the next write. */
    Future<String> create(String owner, MatchSnapshot snapshot);

    /** Replaces {@code previous} with the new snapshot; fails if someone else has written since. */
    Future<String> update(String previous, String owner, MatchSnapshot snapshot);

    /** Takes a match over from the record {@code expected}; fails if it changed since it was read. */
    default Future<String> takeOver(String expected, String owner, MatchSnapshot snapshot) {
        return update(expected, owner, snapshot);
    }

    /** Forgets a finished match (if {@code current} is still its record). */
    Future<Void> remove(UUID matchId, String current);

    /** Every replicated match, by id. */
    Future<Map<String, String>> all();

    static Replication none() {
        return new Replication() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public Future<String> create(String owner, MatchSnapshot snapshot) {
                return Future.succeededFuture("");
            }

            @Override
            public Future<String> update(String previous, String owner, MatchSnapshot snapshot) {
                return Future.succeededFuture("");
            }

            @Override
            public Future<Void> remove(UUID matchId, String current) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Map<String, String>> all() {
                return Future.succeededFuture(Map.of());
            }
        };
    }

    static Replication clustered(Vertx vertx) {
        return new Replication() {
            @Override
            public Future<String> create(String owner, MatchSnapshot snapshot) {
                String record = Wire.encodeAscii(new Replicated(owner, snapshot));
                return map().compose(map -> map.putIfAbsent(key(snapshot), record)).compose(existing -> existing == null
                    ? Future.succeededFuture(record)
                    : Future.failedFuture(new IllegalStateException("match " + key(snapshot) + " already exists")));
            }

            @Override
            public Future<String> update(String previous, String owner, MatchSnapshot snapshot) {
                String record = Wire.encodeAscii(new Replicated(owner, snapshot));
                return map().compose(map -> map.replaceIfPresent(key(snapshot), previous, record)).compose(replaced -> replaced
                    ? Future.succeededFuture(record)
                    : Future.failedFuture(new IllegalStateException("match " + key(snapshot) + " is run by another node")));
            }

            @Override
            public Future<Void> remove(UUID matchId, String current) {
                return map().compose(map -> map.removeIfPresent(matchId.toString(), current)).mapEmpty();
            }

            @Override
            public Future<Map<String, String>> all() {
                return map().compose(AsyncMap::entries);
            }

            private Future<AsyncMap<String, String>> map() {
                return vertx.sharedData().getAsyncMap(MAP_NAME);
            }
        };
    }

    private static String key(MatchSnapshot snapshot) {
        return snapshot.spec().matchId().toString();
    }

    static Replicated decode(String record) {
        return Wire.decode(record, Replicated.class);
    }
}
