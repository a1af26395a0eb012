package org.quizengine.bench.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Reads a server frame's {@code type} without parsing the frame, so a player can ignore what it does
 * not need (a reveal is 80 % of the bytes a player gets) at the cost of a few bytes' look. The node
 * writes {@code type} first; a frame that does not start that way is parsed whole, so the answer is
 * right either way.
 */
final class FrameType {
    private static final byte[] PREFIX = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    /** Longer than any type the protocol has. */
    private static final int MAX_TYPE_BYTES = 40;

    private FrameType() {
    }

    /** The frame's {@code type}, {@code ""} when it has none; throws if the frame is not a JSON object. */
    static String of(Buffer frame) {
        if (startsWithPrefix(frame)) {
            int end = Math.min(frame.length(), PREFIX.length + MAX_TYPE_BYTES);
            for (int i = PREFIX.length; i < end; i++) {
                byte b = frame.getByte(i);
                if (b == '"') {
                    return frame.getString(PREFIX.length, i, "US-ASCII");
                }
                if (b == '\\' || b < 0x20) {
                    break; // an escape, a control or a non-ASCII byte (bytes are signed): let the parser decide
                }
            }
        }
        return new JsonObject(frame).getString("type", "");
    }

    private static boolean startsWithPrefix(Buffer frame) {
        if (frame.length() < PREFIX.length) {
            return false;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (frame.getByte(i) != PREFIX[i]) {
                return false;
            }
        }
        return true;
    }
}
