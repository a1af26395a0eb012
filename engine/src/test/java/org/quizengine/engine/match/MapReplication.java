package org.quizengine.engine.match;

import io.vertx.core.Future;
import java.util.AbstractMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.quizengine.shared.Wire;
import org.quizengine.shared.match.MatchSnapshot;

/**
 * Replication into a map in this JVM, through the same fenced writes ({@link FencedWrite}) that
 * Hazelcast runs on a record's partition: for tests of one match that need its records and fencing,
 * not a cluster.
 */
final class MapReplication implements Replication {
    private final Map<String, String> records = new ConcurrentHashMap<>();

    @Override
    public Future<String> create(String owner, MatchSnapshot snapshot) {
        String record = Wire.encodeAscii(new Replicated(owner, Fence.first(owner).epoch(), snapshot));
        return write(key(snapshot), FencedWrite.create(record), record);
    }

    @Override
    public Future<String> update(Fence fence, MatchSnapshot snapshot) {
        String record = Wire.encodeAscii(new Replicated(fence.owner(), fence.epoch(), snapshot));
        return write(key(snapshot), new FencedWrite(fence.owner(), fence.epoch(), record), record);
    }

    @Override
    public Future<String> takeOver(Fence handed, String owner, MatchSnapshot snapshot) {
        String record = Wire.encodeAscii(new Replicated(owner, handed.next(owner).epoch(), snapshot));
        return write(key(snapshot), new FencedWrite(handed.owner(), handed.epoch(), record), record);
    }

    @Override
    public Future<Void> remove(UUID matchId, Fence fence) {
        return write(matchId.toString(), new FencedWrite(fence.owner(), fence.epoch(), null), null).mapEmpty();
    }

    @Override
    public Future<Map<String, String>> all() {
        return Future.succeededFuture(Map.copyOf(records));
    }

    /** The stored record of a match, or null. */
    String record(UUID matchId) {
        return records.get(matchId.toString());
    }

    private Future<String> write(String key, FencedWrite write, String record) {
        AtomicReference<String> refusal = new AtomicReference<>();
        records.compute(key, (k, stored) -> {
            Map.Entry<String, String> entry = new AbstractMap.SimpleEntry<>(k, stored);
            refusal.set(write.process(entry));
            return entry.getValue();
        });
        return refusal.get() == null ? Future.succeededFuture(record)
            : Future.failedFuture(new IllegalStateException("match " + key + " " + refusal.get()));
    }

    private static String key(MatchSnapshot snapshot) {
        return snapshot.spec().matchId().toString();
    }
}
