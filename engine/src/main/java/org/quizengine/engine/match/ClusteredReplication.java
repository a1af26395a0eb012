package org.quizengine.engine.match;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.quizengine.engine.cluster.HazelcastFutures;
import org.quizengine.engine.cluster.IndeterminateWrites;
import org.quizengine.engine.cluster.StalledWrites;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.MatchSnapshot;

/**
 * {@link Replication} in the cluster's {@link Addresses#LIVE_MATCHES_MAP} map: one synchronous backup,
 * records kept as objects ({@code HazelcastSetup}), so a write runs on the stored record without
 * decoding it and sends the backup the write, not the record. A write counts only if {@code quorum}
 * holds once it is done: Hazelcast updates its split-brain protection a moment after a member list
 * shrinks, and a node that has just seen itself alone has no backup to wait for, so a write to its
 * stale copy in that moment would otherwise succeed. The node's {@code quorum} is also false for a
 * while after its JVM was stopped longer than its peers wait for a heartbeat ({@code PauseWatch}): a
 * woken node's write can land on its stale primary copy of a partition and be acknowledged there.
 */
public final class ClusteredReplication implements Replication {
    /** How many attempts of one write {@link StalledWrites} may give up after a member's departure. */
    static final int STALLED_GIVE_UPS = 2;

    private final Vertx vertx;
    private final HazelcastInstance hazelcast;
    private final BooleanSupplier quorum;
    private final IMap<String, LiveMatchRecord> map;
    private final StalledWrites stalled;

    public ClusteredReplication(Vertx vertx, HazelcastInstance hazelcast, BooleanSupplier quorum) {
        this.vertx = vertx;
        this.hazelcast = hazelcast;
        this.quorum = quorum;
        this.map = hazelcast.getMap(Addresses.LIVE_MATCHES_MAP);
        this.stalled = new StalledWrites(vertx, hazelcast);
    }

    /** Lets a member (or a client that reads the records) read and run this class's writes. */
    public static void register(Config config) {
        config.getSerializationConfig().addDataSerializableFactory(RecordWrite.FACTORY_ID, RecordWrite.factory());
    }

    @Override
    public Future<Void> create(String owner, MatchSnapshot snapshot) {
        LiveMatchRecord record = LiveMatchRecord.of(Fence.first(owner), snapshot);
        // Not given up on a timeout: a first try landing after the match's removal would bring it back.
        return write(key(snapshot), new RecordWrite.Create(record), false);
    }

    @Override
    public Future<Void> append(UUID matchId, Fence fence, long firstVersion, List<MatchInput> inputs) {
        return write(matchId.toString(), new RecordWrite.Append(fence, firstVersion, inputs), true);
    }

    @Override
    public Future<Void> compact(Fence fence, MatchSnapshot snapshot) {
        return write(key(snapshot), new RecordWrite.Snapshot(LiveMatchRecord.of(fence, snapshot)), true);
    }

    @Override
    public Future<Void> takeOver(Fence handed, long handedVersion, String owner, MatchSnapshot snapshot) {
        LiveMatchRecord record = LiveMatchRecord.of(handed.next(owner), snapshot);
        return write(key(snapshot), new RecordWrite.TakeOver(handed, handedVersion, record), true);
    }

    @Override
    public Future<Void> remove(UUID matchId, Fence fence) {
        return write(matchId.toString(), new RecordWrite.Remove(fence), true);
    }

    @Override
    public Future<LiveMatchRecord> read(UUID matchId) {
        return onContext(map.getAsync(matchId.toString()));
    }

    @Override
    public Future<String> ownerOf(UUID matchId) {
        return onContext(map.submitToKey(matchId.toString(), new RecordWrite.ReadOwner()));
    }

    @Override
    public Future<Map<UUID, Fence>> owners() {
        // A projection is blocking in Hazelcast's API, so off the event loop.
        return vertx.executeBlocking(() -> {
            Map<UUID, Fence> owners = new HashMap<>();
            for (String[] owned : map.project(new RecordWrite.Owners())) {
                owners.put(UUID.fromString(owned[0]), new Fence(owned[1], Long.parseLong(owned[2])));
            }
            return owners;
        }, false);
    }

    private Future<Void> write(String key, RecordWrite write, boolean mayGiveUpWaiting) {
        if (!quorum.getAsBoolean()) {
            return Future.failedFuture(new IllegalStateException("this node's side of the cluster lacks quorum, or the node was just paused"));
        }
        int membersBefore = hazelcast.getCluster().getMembers().size();
        int[] gaveUp = {0};
        Supplier<Future<String>> attempt = () -> {
            // A killed peer leaves most of the cluster in view; a node cut off or woken alone does not.
            if (hazelcast.getCluster().getMembers().size() * 2 < membersBefore || !quorum.getAsBoolean()) {
                return Future.failedFuture(new IllegalStateException("this node lost most of its cluster during the write"));
            }
            Future<String> written = onContext(map.submitToKey(key, write));
            if (!mayGiveUpWaiting || gaveUp[0] >= STALLED_GIVE_UPS) {
                return written;
            }
            // A write given up twice after a departure is then waited for like any other, so that giving
            // up early never spends the retries of a write that is merely slow. (Attempts run one after
            // another on the writer's context.)
            return stalled.bounded(written).onFailure(e -> {
                if (e instanceof StalledWrites.GaveUp) {
                    gaveUp[0]++;
                }
            });
        };
        return (mayGiveUpWaiting ? IndeterminateWrites.retriedOrTimedOut(vertx, attempt)
            : IndeterminateWrites.retried(vertx, attempt)).compose(refusal -> {
            if (refusal != null) {
                return Future.failedFuture(new IllegalStateException("match " + key + " " + refusal));
            }
            return quorum.getAsBoolean() ? Future.succeededFuture()
                : Future.failedFuture(new IllegalStateException("this node lost its quorum, or was paused, during the write"));
        });
    }

    private <T> Future<T> onContext(CompletionStage<T> stage) {
        return HazelcastFutures.onContext(vertx, stage);
    }

    private static String key(MatchSnapshot snapshot) {
        return snapshot.spec().matchId().toString();
    }
}
