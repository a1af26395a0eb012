package org.quizengine.engine.match;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.projection.Projection;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One write of a live match's {@link LiveMatchRecord}, run by Hazelcast on the record's partition,
 * then again on its backup copy: the check and the write are one step on the partition's thread, so
 * no other write comes between them. Each returns {@code null} if it took effect, else why not, and
 * the backup runs the same check on its own copy (a refused write must leave the backup as it was,
 * or a promoted backup would name the loser).
 *
 * <p>Every write but the first is fenced: it takes effect only while the stored record still has the
 * writer's owner and epoch ({@link Replication.Fence}), so an owner taken for dead (a frozen node
 * waking up) can no longer write once another node has taken its match over. Writes are made again
 * when Hazelcast could not tell whether they took ({@code IndeterminateWrites}), so each is
 * idempotent: one already stored succeeds without changing anything. Appended inputs carry their
 * versions, so a given-up attempt that lands after newer ones changes nothing either.
 *
 * <p>Sent as Hazelcast's identified data (a factory id, a class id and the fields), not Java
 * serialization: an {@link Append} of one answer is about 60 bytes.
 */
abstract class RecordWrite implements EntryProcessor<String, LiveMatchRecord, String>, IdentifiedDataSerializable {
    /** Registered in every member's serialization config ({@code HazelcastSetup}). */
    static final int FACTORY_ID = 1_042;
    private static final int CREATE = 1;
    private static final int APPEND = 2;
    private static final int SNAPSHOT = 3;
    private static final int TAKE_OVER = 4;
    private static final int REMOVE = 5;
    private static final int READ_OWNER = 6;
    private static final int OWNERS = 7;

    /** Creates the writes (and reads) of this file when Hazelcast reads them off the wire. */
    static DataSerializableFactory factory() {
        return classId -> switch (classId) {
            case CREATE -> new Create();
            case APPEND -> new Append();
            case SNAPSHOT -> new Snapshot();
            case TAKE_OVER -> new TakeOver();
            case REMOVE -> new Remove();
            case READ_OWNER -> new ReadOwner();
            case OWNERS -> new Owners();
            default -> null;
        };
    }

    @Override
    public int getFactoryId() {
        return FACTORY_ID;
    }

    @Override
    public EntryProcessor<String, LiveMatchRecord, String> getBackupProcessor() {
        return this;
    }

    /** Why a write fenced by {@code owner} and {@code epoch} may not change {@code stored}, or null if it may. */
    static String refusal(LiveMatchRecord stored, String owner, long epoch) {
        if (stored == null) {
            return "is no longer live";
        }
        if (!stored.owner().equals(owner) || stored.epoch() != epoch) {
            return "is run by another node (" + stored.owner() + ", epoch " + stored.epoch() + "; this write was for "
                + owner + ", epoch " + epoch + ")";
        }
        return null;
    }

    /** A write that carries a whole record: its fields are the record's. */
    abstract static class WholeRecord extends RecordWrite {
        LiveMatchRecord record;

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            writeRecord(out, record);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            record = readRecord(in);
        }
    }

    /** The first record of a new match: written only if the match has none yet. */
    static final class Create extends WholeRecord {
        Create() {
        }

        Create(LiveMatchRecord record) {
            this.record = record;
        }

        @Override
        public String process(Map.Entry<String, LiveMatchRecord> entry) {
            LiveMatchRecord stored = entry.getValue();
            if (stored == null) {
                entry.setValue(record);
                return null;
            }
            return stored.equals(record) ? null : "already exists";
        }

        @Override
        public int getClassId() {
            return CREATE;
        }
    }

    /** Inputs the owner applied after the stored ones; {@code firstVersion} is the version the first of them made. */
    static final class Append extends RecordWrite {
        private String owner;
        private long epoch;
        private long firstVersion;
        private List<MatchInput> inputs;

        Append() {
        }

        Append(Replication.Fence fence, long firstVersion, List<MatchInput> inputs) {
            this.owner = fence.owner();
            this.epoch = fence.epoch();
            this.firstVersion = firstVersion;
            this.inputs = inputs;
        }

        @Override
        public String process(Map.Entry<String, LiveMatchRecord> entry) {
            LiveMatchRecord stored = entry.getValue();
            String refusal = refusal(stored, owner, epoch);
            if (refusal != null) {
                return refusal;
            }
            long next = stored.version() + 1;
            if (firstVersion > next) {
                return "misses the inputs between version " + next + " and " + firstVersion;
            }
            int known = (int) (next - firstVersion); // already stored: an attempt made again
            if (known < inputs.size()) {
                entry.setValue(stored.append(inputs.subList(known, inputs.size())));
            }
            return null;
        }

        @Override
        public int getClassId() {
            return APPEND;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(owner);
            out.writeLong(epoch);
            out.writeLong(firstVersion);
            MatchInput.writeAll(out, inputs);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            owner = in.readString();
            epoch = in.readLong();
            firstVersion = in.readLong();
            inputs = MatchInput.readAll(in);
        }
    }

    /** The owner's compaction point: a snapshot that replaces the stored one and the inputs after it. */
    static final class Snapshot extends WholeRecord {
        Snapshot() {
        }

        Snapshot(LiveMatchRecord record) {
            this.record = record;
        }

        @Override
        public String process(Map.Entry<String, LiveMatchRecord> entry) {
            LiveMatchRecord stored = entry.getValue();
            String refusal = refusal(stored, record.owner(), record.epoch());
            if (refusal != null) {
                return refusal;
            }
            if (stored.equals(record)) {
                return null; // made again: it took the first time
            }
            if (record.version() < stored.version()) {
                return "has a newer version (" + stored.version() + ") than this write (" + record.version() + ")";
            }
            entry.setValue(record);
            return null;
        }

        @Override
        public int getClassId() {
            return SNAPSHOT;
        }
    }

    /**
     * A new owner's first record, in the epoch after the one it was handed, written only over the
     * record it rebuilt the match from (that fence and version): only one adopter wins, and a late
     * write of the old owner is never written over.
     */
    static final class TakeOver extends RecordWrite {
        private String handedOwner;
        private long handedEpoch;
        private long handedVersion;
        private LiveMatchRecord record;

        TakeOver() {
        }

        TakeOver(Replication.Fence handed, long handedVersion, LiveMatchRecord record) {
            this.handedOwner = handed.owner();
            this.handedEpoch = handed.epoch();
            this.handedVersion = handedVersion;
            this.record = record;
        }

        @Override
        public String process(Map.Entry<String, LiveMatchRecord> entry) {
            LiveMatchRecord stored = entry.getValue();
            if (record.equals(stored)) {
                return null; // made again: it took the first time
            }
            String refusal = refusal(stored, handedOwner, handedEpoch);
            if (refusal != null) {
                return refusal;
            }
            if (stored.version() != handedVersion) {
                return "changed since it was handed over (version " + stored.version() + ", taken over from "
                    + handedVersion + ")";
            }
            entry.setValue(record);
            return null;
        }

        @Override
        public int getClassId() {
            return TAKE_OVER;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(handedOwner);
            out.writeLong(handedEpoch);
            out.writeLong(handedVersion);
            writeRecord(out, record);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            handedOwner = in.readString();
            handedEpoch = in.readLong();
            handedVersion = in.readLong();
            record = readRecord(in);
        }
    }

    /** Forgets a match (it finished, or never started); nothing to forget is no refusal. */
    static final class Remove extends RecordWrite {
        private String owner;
        private long epoch;

        Remove() {
        }

        Remove(Replication.Fence fence) {
            this.owner = fence.owner();
            this.epoch = fence.epoch();
        }

        @Override
        public String process(Map.Entry<String, LiveMatchRecord> entry) {
            if (entry.getValue() == null) {
                return null; // made again: it took the first time
            }
            String refusal = refusal(entry.getValue(), owner, epoch);
            if (refusal == null) {
                entry.setValue(null);
            }
            return refusal;
        }

        @Override
        public int getClassId() {
            return REMOVE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(owner);
            out.writeLong(epoch);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            owner = in.readString();
            epoch = in.readLong();
        }
    }

    /** Reads the owner of a match's record (null when it has none), without sending the record back. */
    static final class ReadOwner extends RecordWrite implements ReadOnly {
        @Override
        public String process(Map.Entry<String, LiveMatchRecord> entry) {
            return entry.getValue() == null ? null : entry.getValue().owner();
        }

        @Override
        public EntryProcessor<String, LiveMatchRecord, String> getBackupProcessor() {
            return null;
        }

        @Override
        public int getClassId() {
            return READ_OWNER;
        }

        @Override
        public void writeData(ObjectDataOutput out) {
        }

        @Override
        public void readData(ObjectDataInput in) {
        }
    }

    /** Every record's match id, owner and epoch, without the records: what a failover sweep reads. */
    static final class Owners implements Projection<Map.Entry<String, LiveMatchRecord>, String[]>, IdentifiedDataSerializable {
        @Override
        public String[] transform(Map.Entry<String, LiveMatchRecord> entry) {
            LiveMatchRecord record = entry.getValue();
            return new String[] {entry.getKey(), record.owner(), Long.toString(record.epoch())};
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return OWNERS;
        }

        @Override
        public void writeData(ObjectDataOutput out) {
        }

        @Override
        public void readData(ObjectDataInput in) {
        }
    }

    private static void writeRecord(ObjectDataOutput out, LiveMatchRecord record) throws IOException {
        out.writeString(record.owner());
        out.writeLong(record.epoch());
        out.writeString(record.snapshot());
        out.writeLong(record.snapshotVersion());
        MatchInput.writeAll(out, record.steps());
    }

    private static LiveMatchRecord readRecord(ObjectDataInput in) throws IOException {
        return new LiveMatchRecord(in.readString(), in.readLong(), in.readString(), in.readLong(), MatchInput.readAll(in));
    }
}
