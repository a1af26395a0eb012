package org.quizengine.engine.match;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.quizengine.shared.match.MatchSnapshot;

/**
 * Live matches' state, replicated in the cluster, so a match outlives the node running it. Each
 * match has one {@link LiveMatchRecord}: its owner and the epoch in which that owner took the match
 * (1 when it was formed, one more at each takeover), its last snapshot and the inputs applied since.
 * A step replicates its input, not the match: the whole snapshot is written only when the match is
 * formed, at a takeover, and every few dozen inputs ({@link StepReplicator}). Every write but the
 * first is fenced ({@link RecordWrite}): after another node has taken a match over, the old owner's
 * next write fails and it stops, so a match never runs on two nodes at once. On a single node
 * nothing is replicated.
 */
public interface Replication {

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

    /** Whether steps are replicated at all; a single node keeps no copy. */
    default boolean enabled() {
        return true;
    }

    /** Records a new match owned by {@code owner} (epoch 1). */
    Future<Void> create(String owner, MatchSnapshot snapshot);

    /**
     * Adds inputs the owner applied after those already replicated; {@code firstVersion} is the
     * match's version after the first of them. Fails if {@code fence} no longer holds the record.
     */
    Future<Void> append(UUID matchId, Fence fence, long firstVersion, List<MatchInput> inputs);

    /** Replaces the record's snapshot and inputs with a snapshot of the match now (a compaction point). */
    Future<Void> compact(Fence fence, MatchSnapshot snapshot);

    /**
     * Takes a match over for {@code owner} in the epoch after {@code handed} (the fence the adopter
     * was handed), from the record at {@code handedVersion} that it rebuilt the match from; fails if
     * the record has moved on since (another adopter, or a late write of the old owner), so only one
     * adopter wins and no step is written over.
     */
    Future<Void> takeOver(Fence handed, long handedVersion, String owner, MatchSnapshot snapshot);

    /** Forgets a finished match, if {@code fence} still holds its record. */
    Future<Void> remove(UUID matchId, Fence fence);

    /** The match's record, or {@code null} when it has none. */
    Future<LiveMatchRecord> read(UUID matchId);

    /** The owner its record names, or {@code null} when the match has no record; the record stays where it is. */
    Future<String> ownerOf(UUID matchId);

    /** Every replicated match's fence, by match id (not the records). */
    Future<Map<UUID, Fence>> owners();

    static Replication none() {
        return new Replication() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public Future<Void> create(String owner, MatchSnapshot snapshot) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> append(UUID matchId, Fence fence, long firstVersion, List<MatchInput> inputs) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> compact(Fence fence, MatchSnapshot snapshot) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> takeOver(Fence handed, long handedVersion, String owner, MatchSnapshot snapshot) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> remove(UUID matchId, Fence fence) {
                return Future.succeededFuture();
            }

            @Override
            public Future<LiveMatchRecord> read(UUID matchId) {
                return Future.succeededFuture();
            }

            @Override
            public Future<String> ownerOf(UUID matchId) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Map<UUID, Fence>> owners() {
                return Future.succeededFuture(Map.of());
            }
        };
    }
}
