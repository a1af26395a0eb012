package org.quizengine.engine.match;

import io.vertx.core.Future;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.quizengine.shared.match.MatchSnapshot;

/**
 * Replication into a map in this JVM, through the same fenced writes ({@link RecordWrite}) that
 * Hazelcast runs on a record's partition: for tests of one match that need its records and fencing,
 * not a cluster.
 */
class MapReplication implements Replication {
    private final Map<String, LiveMatchRecord> records = new ConcurrentHashMap<>();

    @Override
    public Future<Void> create(String owner, MatchSnapshot snapshot) {
        return write(key(snapshot), new RecordWrite.Create(LiveMatchRecord.of(Fence.first(owner), snapshot)));
    }

    @Override
    public Future<Void> append(UUID matchId, Fence fence, long firstVersion, List<MatchInput> inputs) {
        return write(matchId.toString(), new RecordWrite.Append(fence, firstVersion, inputs));
    }

    @Override
    public Future<Void> compact(Fence fence, MatchSnapshot snapshot) {
        return write(key(snapshot), new RecordWrite.Snapshot(LiveMatchRecord.of(fence, snapshot)));
    }

    @Override
    public Future<Void> takeOver(Fence handed, long handedVersion, String owner, MatchSnapshot snapshot) {
        return write(key(snapshot), new RecordWrite.TakeOver(handed, handedVersion,
            LiveMatchRecord.of(handed.next(owner), snapshot)));
    }

    @Override
    public Future<Void> remove(UUID matchId, Fence fence) {
        return write(matchId.toString(), new RecordWrite.Remove(fence));
    }

    @Override
    public Future<LiveMatchRecord> read(UUID matchId) {
        return Future.succeededFuture(record(matchId));
    }

    @Override
    public Future<String> ownerOf(UUID matchId) {
        LiveMatchRecord record = record(matchId);
        return Future.succeededFuture(record == null ? null : record.owner());
    }

    @Override
    public Future<Map<UUID, Fence>> owners() {
        Map<UUID, Fence> owners = new HashMap<>();
        records.forEach((matchId, record) -> owners.put(UUID.fromString(matchId), record.fence()));
        return Future.succeededFuture(owners);
    }

    /** The stored record of a match, or null. */
    LiveMatchRecord record(UUID matchId) {
        return records.get(matchId.toString());
    }

    private Future<Void> write(String key, RecordWrite write) {
        AtomicReference<String> refusal = new AtomicReference<>();
        records.compute(key, (k, stored) -> {
            Map.Entry<String, LiveMatchRecord> entry = new AbstractMap.SimpleEntry<>(k, stored);
            refusal.set(write.process(entry));
            return entry.getValue();
        });
        return refusal.get() == null ? Future.succeededFuture()
            : Future.failedFuture(new IllegalStateException("match " + key + " " + refusal.get()));
    }

    private static String key(MatchSnapshot snapshot) {
        return snapshot.spec().matchId().toString();
    }
}
