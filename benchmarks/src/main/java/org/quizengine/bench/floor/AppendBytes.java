package org.quizengine.bench.floor;

import com.hazelcast.config.Config;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The stand-in for the engine's {@code RecordWrite.Append}: appends one answer's bytes to the stored
 * value, starting again from empty every {@link #COMPACT_EVERY} appends (the engine's compaction).
 * Hazelcast runs it on the key's partition owner, then again on the backup copy (the default backup
 * processor is the processor itself).
 *
 * <p>Identified data serializable, like the engine's writes: a factory id, a class id and the bytes
 * on the wire, no class name and no Java serialization. Its factory must be in every member's
 * serialization config ({@link #register}).
 */
final class AppendBytes implements EntryProcessor<String, byte[], Void>, IdentifiedDataSerializable {
    /** Apart from the engine's own factory ids (RecordWrite's is 1042). */
    static final int FACTORY_ID = 7_301;
    private static final int CLASS_ID = 1;
    static final int COMPACT_EVERY = 64;

    private byte[] bytes;

    AppendBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** For Hazelcast, which fills it in {@link #readData}. */
    private AppendBytes() {
    }

    static void register(Config config) {
        config.getSerializationConfig().addDataSerializableFactory(FACTORY_ID,
            classId -> classId == CLASS_ID ? new AppendBytes() : null);
    }

    @Override
    public Void process(Map.Entry<String, byte[]> entry) {
        byte[] stored = entry.getValue();
        if (stored == null || stored.length >= COMPACT_EVERY * bytes.length) {
            entry.setValue(bytes);
            return null;
        }
        byte[] appended = Arrays.copyOf(stored, stored.length + bytes.length);
        System.arraycopy(bytes, 0, appended, stored.length, bytes.length);
        entry.setValue(appended);
        return null;
    }

    @Override
    public int getFactoryId() {
        return FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return CLASS_ID;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(bytes);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        bytes = in.readByteArray();
    }
}
