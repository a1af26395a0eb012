package org.quizengine.engine.match;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;
import java.util.Objects;

/**
 * One write of a live match's record, run by Hazelcast on the record's partition: it takes effect
 * only if the stored record still has the writer's owner and epoch ({@link Replication.Fence}), and
 * returns {@code null} if it did, else why not. The check and the write are one step on the
 * partition's thread, so no other write can come between them. A {@code null} record removes the
 * entry; a write without a fence ({@link #create}) only creates one. A write whose record is
 * already stored succeeds without a check: it is being made again because Hazelcast could not tell
 * whether the first try took ({@code IndeterminateWrites}). An owner's write older (by snapshot
 * version) than the stored record is refused: a try given up as lost may still land late. The backup copy runs the same
 * check on its own copy (Hazelcast sends the backup processor whether or not the primary changed
 * the entry): a refused write must leave the backup as it was, or a promoted backup would name the
 * loser.
 */
final class FencedWrite implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private static final String OWNER_PREFIX = "{\"owner\":\"";
    private static final String EPOCH_FIELD = ",\"epoch\":";
    private static final String VERSION_FIELD = ",\"snapshot\":{\"version\":";

    private final String owner;
    private final long epoch;
    private final String record;

    FencedWrite(String owner, long epoch, String record) {
        this.owner = owner;
        this.epoch = epoch;
        this.record = record;
    }

    /** The first record of a new match: written only if the match has none yet. */
    static FencedWrite create(String record) {
        return new FencedWrite(null, 0, record);
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
        String stored = entry.getValue();
        if (Objects.equals(stored, record)) {
            return null; // made again after an indeterminate outcome: it took the first time
        }
        if (owner == null) {
            if (stored != null) {
                return "already exists";
            }
            entry.setValue(record);
            return null;
        }
        if (stored == null) {
            return "is no longer live";
        }
        Replication.Fence current = fenceOf(stored);
        if (!current.owner().equals(owner) || current.epoch() != epoch) {
            return "is run by another node (" + current.owner() + ", epoch " + current.epoch() + "; this write was for "
                + owner + ", epoch " + epoch + ")";
        }
        if (record != null && current.equals(fenceOf(record)) && versionOf(record) < versionOf(stored)) {
            // A write that was given up as lost and made again, landing after the newer ones.
            return "has a newer version than this write";
        }
        entry.setValue(record);
        return null;
    }

    @Override
    public EntryProcessor<String, String, String> getBackupProcessor() {
        return this;
    }

    /** The version of the snapshot in a record, read from its first field; -1 if it is not where expected. */
    static long versionOf(String record) {
        int at = record.indexOf(VERSION_FIELD);
        if (at < 0) {
            return -1;
        }
        int start = at + VERSION_FIELD.length();
        int end = start;
        while (end < record.length() && Character.isDigit(record.charAt(end))) {
            end++;
        }
        return end == start ? -1 : Long.parseLong(record.substring(start, end));
    }

    /** The owner and epoch of a record, read from its first fields (a record without an epoch is epoch 0). */
    static Replication.Fence fenceOf(String record) {
        if (!record.startsWith(OWNER_PREFIX)) {
            Replication.Replicated decoded = Replication.decode(record);
            return decoded.fence();
        }
        int ownerEnd = record.indexOf('"', OWNER_PREFIX.length());
        String recordOwner = record.substring(OWNER_PREFIX.length(), ownerEnd);
        if (!record.startsWith(EPOCH_FIELD, ownerEnd + 1)) {
            return new Replication.Fence(recordOwner, 0);
        }
        int start = ownerEnd + 1 + EPOCH_FIELD.length();
        int end = start;
        while (end < record.length() && Character.isDigit(record.charAt(end))) {
            end++;
        }
        return new Replication.Fence(recordOwner, Long.parseLong(record.substring(start, end)));
    }
}
