package org.quizengine.engine.match;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.quizengine.engine.cluster.IndeterminateWrites;
import org.quizengine.shared.Wire;
import org.quizengine.shared.match.MatchSnapshot;

/**
 * Live matches' state, replicated in the cluster (a Hazelcast map with one synchronous backup), so
 * a match outlives the node running it. Each record names its owner and the epoch in which that
 * owner took the match (1 when it was formed, one more at each takeover). Every write is fenced: it
 * carries the writer's owner and epoch and runs on the record's own partition ({@link FencedWrite}),
 * which refuses it unless the stored record still has them. So after another node has taken a match
 * over, the old owner's next write fails and it stops: a match never runs on two nodes at once. On a
 * single node nothing is replicated.
 *
 * <p>Writes send the new state and the fence, not the previous record. Today the state is the whole
 * snapshot; the fence (owner, epoch) is what a later per-step form of the state would be keyed by.
 */
public interface Replication {
    String MAP_NAME = "quiz.live-matches";

    /** Who may write a match's record: its owner, in the epoch it took the match in. */
    record Fence(String owner, long epoch) {
        /** The fence of the node that formed the match. */
        public static Fence first(String owner) {
            return new Fence(owner, 1);
        }

        /** The fence of whoever takes the match over from this one. */
        public Fence next(String newOwner) {
            return new Fence(newOwner, epoch + 1);
        }
    }

    /** The replicated form of a match: who runs it, since which takeover, and where it was. */
    @JsonPropertyOrder({"owner", "epoch", "snapshot"}) // owner first: read without decoding the snapshot
    record Replicated(String owner, long epoch, MatchSnapshot snapshot) {
        public Fence fence() {
            return new Fence(owner, epoch);
        }
    }

    /** Whether steps are replicated at all; a single node keeps no copy and skips the snapshot. */
    default boolean enabled() {
        return true;
    }

    /** Records a new match owned by {@code owner} (epoch 1); returns the stored record. */
    Future<String> create(String owner, MatchSnapshot snapshot);

    /** Writes the match's new state; fails if {@code fence} no longer holds the record. */
    Future<String> update(Fence fence, MatchSnapshot snapshot);

    /**
     * Takes a match over for {@code owner} in the epoch after {@code handed} (the record the adopter
     * was given); fails if the record has moved on since, so only one adopter wins.
     */
    Future<String> takeOver(Fence handed, String owner, MatchSnapshot snapshot);

    /** Forgets a finished match, if {@code fence} still holds its record. */
    Future<Void> remove(UUID matchId, Fence fence);

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
            public Future<String> update(Fence fence, MatchSnapshot snapshot) {
                return Future.succeededFuture("");
            }

            @Override
            public Future<String> takeOver(Fence handed, String owner, MatchSnapshot snapshot) {
                return Future.succeededFuture("");
            }

            @Override
            public Future<Void> remove(UUID matchId, Fence fence) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Map<String, String>> all() {
                return Future.succeededFuture(Map.of());
            }
        };
    }

    /**
     * Replication in the cluster's {@code quiz.live-matches} map of {@code hazelcast}. A write counts
     * only if {@code quorum} holds once it is done: Hazelcast updates its split-brain protection a
     * moment after a member list shrinks, and a node that has just seen itself alone has no backup to
     * wait for, so a write to its stale copy in that moment would otherwise succeed.
     */
    static Replication clustered(Vertx vertx, HazelcastInstance hazelcast, BooleanSupplier quorum) {
        IMap<String, String> map = hazelcast.getMap(MAP_NAME);
        return new Replication() {
            @Override
            public Future<String> create(String owner, MatchSnapshot snapshot) {
                String record = Wire.encodeAscii(new Replicated(owner, Fence.first(owner).epoch(), snapshot));
                // Not given up on a timeout: a first try landing after the match's removal would bring it back.
                return write(key(snapshot), FencedWrite.create(record), record, false);
            }

            @Override
            public Future<String> update(Fence fence, MatchSnapshot snapshot) {
                String record = Wire.encodeAscii(new Replicated(fence.owner(), fence.epoch(), snapshot));
                return write(key(snapshot), fenced(fence, record), record);
            }

            @Override
            public Future<String> takeOver(Fence handed, String owner, MatchSnapshot snapshot) {
                String record = Wire.encodeAscii(new Replicated(owner, handed.next(owner).epoch(), snapshot));
                return write(key(snapshot), fenced(handed, record), record);
            }

            @Override
            public Future<Void> remove(UUID matchId, Fence fence) {
                return write(matchId.toString(), fenced(fence, null), null).mapEmpty();
            }

            @Override
            public Future<Map<String, String>> all() {
                // A copy of the whole map: blocking in Hazelcast's API, so off the event loop.
                return vertx.executeBlocking(() -> {
                    Map<String, String> all = new HashMap<>();
                    map.entrySet().forEach(entry -> all.put(entry.getKey(), entry.getValue()));
                    return all;
                }, false);
            }

            private FencedWrite fenced(Fence fence, String record) {
                return new FencedWrite(fence.owner(), fence.epoch(), record);
            }

            private Future<String> write(String key, FencedWrite write, String record) {
                return write(key, write, record, true);
            }

            private Future<String> write(String key, FencedWrite write, String record, boolean mayGiveUpWaiting) {
                if (!quorum.getAsBoolean()) {
                    return Future.failedFuture(new IllegalStateException("this node's side of the cluster lacks quorum"));
                }
                int membersBefore = hazelcast.getCluster().getMembers().size();
                Supplier<Future<String>> attempt = () -> {
                    // A killed peer leaves most of the cluster in view; a node cut off or woken alone does not.
                    if (hazelcast.getCluster().getMembers().size() * 2 < membersBefore || !quorum.getAsBoolean()) {
                        return Future.failedFuture(new IllegalStateException("this node lost most of its cluster during the write"));
                    }
                    return onContext(map.submitToKey(key, write));
                };
                return (mayGiveUpWaiting ? IndeterminateWrites.retriedOrTimedOut(vertx, attempt)
                    : IndeterminateWrites.retried(vertx, attempt)).compose(refusal -> {
                    if (refusal != null) {
                        return Future.failedFuture(new IllegalStateException("match " + key + " " + refusal));
                    }
                    return quorum.getAsBoolean() ? Future.succeededFuture(record)
                        : Future.failedFuture(new IllegalStateException("this node lost its quorum during the write"));
                });
            }

            /** Hazelcast completes on its own threads; the caller carries on on its own context. */
            private <T> Future<T> onContext(CompletionStage<T> stage) {
                Context context = vertx.getOrCreateContext();
                return Future.fromCompletionStage(stage, context);
            }
        };
    }

    private static String key(MatchSnapshot snapshot) {
        return snapshot.spec().matchId().toString();
    }

    static Replicated decode(String record) {
        return Wire.decode(record, Replicated.class);
    }

    /** The owner and epoch of a stored record (its first fields), read without decoding its snapshot. */
    static Fence fenceOf(String record) {
        return FencedWrite.fenceOf(record);
    }
}
