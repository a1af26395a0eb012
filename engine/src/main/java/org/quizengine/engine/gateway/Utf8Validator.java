package org.quizengine.engine.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * Checks that bytes are UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing
 * above U+10FFFF), fed in pieces: a character may be split across the fragments of a message. It
 * reads the bytes where they are, without copying them; an ASCII byte costs one comparison.
 */
final class Utf8Validator {
    /** Continuation bytes still expected for the current character. */
    private int needed;
    /** The range the next continuation byte must fall in (narrower after E0, ED, F0 and F4). */
    private int lower = 0x80;
    private int upper = 0xBF;

    /** Feeds the next bytes; false as soon as they cannot be UTF-8. */
    boolean feed(Buffer bytes) {
        for (int i = 0, length = bytes.length(); i < length; i++) {
            byte b = bytes.getByte(i);
            if (needed == 0) {
                if (b >= 0) {
                    continue;
                }
                if (!lead(b & 0xFF)) {
                    return false;
                }
            } else {
                int unsigned = b & 0xFF;
                if (unsigned < lower || unsigned > upper) {
                    return false;
                }
                lower = 0x80;
                upper = 0xBF;
                needed--;
            }
        }
        return true;
    }

    /** Starts over, for the next message. */
    void reset() {
        needed = 0;
        lower = 0x80;
        upper = 0xBF;
    }

    /** Whether the bytes fed so far end on a whole character. */
    boolean atCharacterEnd() {
        return needed == 0;
    }

    /** Starts a multi-byte character; false for a byte that cannot start one. */
    private boolean lead(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            needed = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            needed = 2;
            lower = b == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
            upper = b == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
        } else if (b >= 0xF0 && b <= 0xF4) {
            needed = 3;
            lower = b == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            upper = b == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
        } else {
            return false; // a continuation byte, an overlong C0/C1, or F5..FF
        }
        return true;
    }
}
