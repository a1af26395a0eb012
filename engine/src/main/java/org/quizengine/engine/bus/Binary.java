package org.quizengine.engine.bus;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The binary fields of the engine's hand-written event-bus codecs: ids, nullable strings, and a reader. */
final class Binary {
    private Binary() {
    }

    /** Writes an id as two longs, or a zero byte for {@code null}. */
    static void appendUuid(Buffer buffer, UUID id) {
        if (id == null) {
            buffer.appendByte((byte) 0);
        } else {
            buffer.appendByte((byte) 1).appendLong(id.getMostSignificantBits()).appendLong(id.getLeastSignificantBits());
        }
    }

    /** Writes a string as its UTF-8 length and bytes, or -1 for {@code null}. */
    static void appendString(Buffer buffer, String text) {
        if (text == null) {
            buffer.appendInt(-1);
        } else {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            buffer.appendInt(bytes.length).appendBytes(bytes);
        }
    }

    /** Writes bytes as their length and the bytes. */
    static void appendBytes(Buffer buffer, byte[] bytes) {
        buffer.appendInt(bytes.length).appendBytes(bytes);
    }

    /** Reads what the append methods wrote, in order, from a position in a buffer. */
    static final class Reader {
        private final Buffer buffer;
        private int pos;

        Reader(Buffer buffer, int pos) {
            this.buffer = buffer;
            this.pos = pos;
        }

        int readInt() {
            int value = buffer.getInt(pos);
            pos += 4;
            return value;
        }

        byte readByte() {
            return buffer.getByte(pos++);
        }

        boolean readBoolean() {
            return readByte() != 0;
        }

        UUID readUuid() {
            if (readByte() == 0) {
                return null;
            }
            UUID id = new UUID(buffer.getLong(pos), buffer.getLong(pos + 8));
            pos += 16;
            return id;
        }

        byte[] readBytes() {
            int length = readInt();
            if (length < 0) {
                throw new IllegalStateException("a byte field of negative length " + length + " at " + (pos - 4));
            }
            byte[] bytes = buffer.getBytes(pos, pos + length);
            pos += length;
            return bytes;
        }

        String readString() {
            int length = readInt();
            if (length < 0) {
                return null;
            }
            String text = buffer.getString(pos, pos + length, StandardCharsets.UTF_8.name());
            pos += length;
            return text;
        }
    }
}
