package org.quizengine.engine.gateway;

import java.util.UUID;
import org.quizengine.shared.protocol.ClientMessage;

/**
 * Reads the frame every player sends most, an {@code answer}, when it has the plain shape clients
 * send: one object with exactly {@code type}, {@code index}, {@code option} and perhaps {@code matchId},
 * in any order, strings without escapes, the UUID in its 36-character form, whole numbers of up to nine
 * digits, JSON whitespace anywhere between tokens. Anything else, valid or not, is left to
 * {@link FrameParser}'s full mapping, which alone decides what is wrong with a frame. A profile of a
 * node at 10,000 players put a tenth of everything it allocated in that mapping, nearly all of it for
 * answers; this allocates only the message.
 */
final class AnswerScanner {
    private static final int TYPE = 1;
    private static final int MATCH_ID = 2;
    private static final int INDEX = 4;
    private static final int OPTION = 8;
    /** {@code matchId} may be left out: it then defaults to the connection's match. */
    private static final int REQUIRED = TYPE | INDEX | OPTION;
    private static final int UUID_LENGTH = 36;
    private static final int MAX_DIGITS = 9;

    private final String text;
    private int at;
    private int seen;
    private UUID matchId;
    private int index;
    private int option;

    private AnswerScanner(String text) {
        this.text = text;
    }

    /** The answer {@code text} is, or {@code null} when it is not one in the plain shape. */
    static ClientMessage.Answer scan(String text) {
        AnswerScanner scanner = new AnswerScanner(text);
        return scanner.object() ? new ClientMessage.Answer(scanner.matchId, scanner.index, scanner.option) : null;
    }

    private boolean object() {
        if (!expect('{')) {
            return false;
        }
        do {
            if (!field()) {
                return false;
            }
        } while (expect(','));
        if (!expect('}') || (seen & REQUIRED) != REQUIRED) {
            return false;
        }
        skipWhitespace();
        return at == text.length();
    }

    private boolean field() {
        skipWhitespace();
        int name = name();
        if (name == 0 || (seen & name) != 0 || !expect(':')) {
            return false;
        }
        seen |= name;
        skipWhitespace();
        switch (name) {
            case TYPE:
                return literal("\"answer\"");
            case MATCH_ID:
                return uuid();
            case INDEX:
                index = number();
                return index >= 0;
            case OPTION:
                option = number();
                return option >= 0;
            default:
                throw new IllegalStateException("no field " + name);
        }
    }

    private int name() {
        if (literal("\"type\"")) {
            return TYPE;
        }
        if (literal("\"matchId\"")) {
            return MATCH_ID;
        }
        if (literal("\"index\"")) {
            return INDEX;
        }
        return literal("\"option\"") ? OPTION : 0;
    }

    /** The UUID in quotes, hex digits of either case, as Jackson reads the 36-character form. */
    private boolean uuid() {
        if (at + UUID_LENGTH + 2 > text.length() || text.charAt(at) != '"' || text.charAt(at + UUID_LENGTH + 1) != '"') {
            return false;
        }
        int start = at + 1;
        long most = 0;
        long least = 0;
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = text.charAt(start + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
                continue;
            }
            int digit = hexDigit(c);
            if (digit < 0) {
                return false;
            }
            if (i < 18) {
                most = most << 4 | digit;
            } else {
                least = least << 4 | digit;
            }
        }
        matchId = new UUID(most, least);
        at = start + UUID_LENGTH + 1;
        return true;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /**
     * A whole number in JSON's form (no leading zeros, no fraction or exponent) of up to nine digits;
     * -1 for anything else, negative numbers included, which the full mapping then reads.
     */
    private int number() {
        int start = at;
        int value = 0;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            value = value * 10 + (text.charAt(at) - '0');
            at++;
        }
        int digits = at - start;
        boolean plain = digits > 0 && digits <= MAX_DIGITS && (digits == 1 || text.charAt(start) != '0');
        return plain ? value : -1;
    }

    private boolean expect(char c) {
        skipWhitespace();
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private boolean literal(String expected) {
        if (text.startsWith(expected, at)) {
            at += expected.length();
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }
}
