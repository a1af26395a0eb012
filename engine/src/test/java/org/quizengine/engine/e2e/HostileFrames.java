package org.quizengine.engine.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.quizengine.engine.support.RawWebSocket;

/** Generates what {@link WebSocketFuzzTest}'s hostile sockets send, from a seeded {@link Random}. */
final class HostileFrames {
    /** A frame, and the error codes it must get (empty: any answer will do). */
    record Typed(String text, Set<String> codes) {
    }

    private static final Set<String> INVALID = Set.of("INVALID_MESSAGE");
    /** Valid JSON in every field that takes an integer, none of it an integer the field can hold. */
    private static final List<String> NOT_AN_INT = List.of("\"1\"", "1.5", "1.0", "-0.0", "1e308", "1E400", "-1e400",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616", "true", "false", "[]", "[1]", "{}",
        "{\"a\":1}", "\"NaN\"", "\"\"");
    /** Only these of them fit a long. */
    private static final List<String> NOT_AN_INT_BUT_A_LONG = List.of("2147483648", "-2147483649", "99999999999");
    private static final List<String> NOT_A_STRING = List.of("1", "-0", "1.5", "1e308", "true", "[]", "[\"science\"]", "{}");
    private static final List<String> NOT_A_UUID = List.of("\"\"", "\"zz\"", "\"" + "f".repeat(36) + "\"",
        "\"00000000-0000-0000-0000-00000000000g\"", "1", "[]", "{}", "true");
    /** Invalid JSON numbers. */
    private static final List<String> NOT_JSON = List.of("NaN", "Infinity", "-Infinity", "+1", "01", "1.", ".5", "0x10");
    private static final String[] TYPES = {"ping", "quick_match", "cancel_queue", "create_lobby", "join_lobby",
        "leave_lobby", "start_lobby", "answer", "resume", "leave_match"};
    private static final String[] TOKENS = {"\"", "{", "}", "[", "]", ",", ":", "\\", "null", "true", "-", "1e999", "\\u0000",
        "\u0001", "\\ud800", "é", "€", "\uD83D\uDE00", " ", "\t", "\n", "\"type\":", "\"ping\"", "0", "-1", "2147483648"};
    /** Byte sequences that are not UTF-8: stray continuation, overlong, surrogate, above U+10FFFF, cut short, never valid. */
    private static final byte[][] NOT_UTF8 = {{(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC1, (byte) 0xBF},
        {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF5}, {(byte) 0xFE}, {(byte) 0xFF}, {(byte) 0xC3, '('},
        {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}};

    private final Random random;

    HostileFrames(Random random) {
        this.random = random;
    }

    /** A valid frame of a random client type, some of them about the honest match. */
    String valid(String matchId) {
        return switch (TYPES[random.nextInt(TYPES.length)]) {
            case "ping" -> "{\"type\":\"ping\",\"clientTime\":" + random.nextInt(1_000_000) + "}";
            case "quick_match" -> "{\"type\":\"quick_match\",\"category\":\"science\",\"size\":" + (2 + random.nextInt(9)) + "}";
            case "create_lobby" -> "{\"type\":\"create_lobby\",\"category\":\"history\",\"maxPlayers\":4,\"questionCount\":2,"
                + "\"secondsPerQuestion\":10}";
            case "join_lobby" -> "{\"type\":\"join_lobby\",\"code\":\"K7RM2X\"}";
            case "answer" -> "{\"type\":\"answer\",\"matchId\":\"" + matchId + "\",\"index\":" + random.nextInt(6)
                + ",\"option\":" + random.nextInt(4) + "}";
            case "resume" -> "{\"type\":\"resume\",\"matchId\":\"" + matchId + "\"}";
            default -> "{\"type\":\"" + TYPES[random.nextInt(TYPES.length)] + "\"}";
        };
    }

    /** A valid frame with one to four characters flipped, inserted, deleted or repeated. */
    String mutated(String matchId) {
        StringBuilder text = new StringBuilder(valid(matchId));
        for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
            int at = random.nextInt(text.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> text.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 1 -> {
                    if (at < text.length() && !Character.isSurrogate(text.charAt(at))) {
                        text.setCharAt(at, (char) (0x20 + random.nextInt(0x5F)));
                    }
                }
                case 2 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(3)));
                case 3 -> text.insert(at, text.substring(at, Math.min(text.length(), at + 1 + random.nextInt(8))));
                default -> {
                    int type = text.indexOf("\"type\":\"");
                    if (type >= 0) {
                        String name = TYPES[random.nextInt(TYPES.length)];
                        text.insert(type + 8, random.nextBoolean() ? name.toUpperCase() : name + " ");
                    }
                }
            }
        }
        // Half a surrogate pair is not text: Java would send it as '?' anyway.
        return text.toString().replaceAll("[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]", "?");
    }

    /** A frame whose one field holds a value of the wrong JSON type, or a number out of its range. */
    Typed wrongType(String matchId) {
        int which = random.nextInt(9);
        if (random.nextInt(8) == 0) {
            String number = NOT_JSON.get(random.nextInt(NOT_JSON.size()));
            return new Typed("{\"type\":\"answer\",\"index\":" + number + ",\"option\":1}", Set.of("MALFORMED_MESSAGE"));
        }
        return switch (which) {
            case 0 -> new Typed("{\"type\":\"ping\",\"clientTime\":" + notAnInt(false) + "}", INVALID);
            case 1 -> new Typed("{\"type\":\"quick_match\",\"size\":" + notAnInt(true) + "}", INVALID);
            case 2 -> new Typed("{\"type\":\"quick_match\",\"category\":" + pick(NOT_A_STRING) + "}", INVALID);
            case 3 -> new Typed("{\"type\":\"create_lobby\",\"" + pick(List.of("maxPlayers", "questionCount", "secondsPerQuestion"))
                + "\":" + notAnInt(true) + "}", INVALID);
            case 4 -> new Typed("{\"type\":\"join_lobby\",\"code\":" + pick(NOT_A_STRING) + "}", INVALID);
            case 5 -> new Typed("{\"type\":\"answer\",\"matchId\":\"" + matchId + "\",\"index\":" + notAnInt(true)
                + ",\"option\":0}", INVALID);
            case 6 -> new Typed("{\"type\":\"answer\",\"matchId\":\"" + matchId + "\",\"index\":0,\"option\":"
                + notAnInt(true) + "}", INVALID);
            case 7 -> new Typed("{\"type\":\"answer\",\"matchId\":" + pick(NOT_A_UUID) + ",\"index\":0,\"option\":0}", INVALID);
            default -> new Typed("{\"type\":" + pick(List.of("1", "true", "[]", "{}", "[\"ping\"]", "null")) + "}",
                Set.of("INVALID_MESSAGE", "UNKNOWN_MESSAGE_TYPE"));
        };
    }

    private String notAnInt(boolean int32) {
        if (int32 && random.nextInt(4) == 0) {
            return pick(NOT_AN_INT_BUT_A_LONG);
        }
        return pick(NOT_AN_INT);
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Arrays nested in a ping: fine up to 1,000 deep, malformed beyond; 10,000 deep is too large to read. */
    Typed deepNesting() {
        return switch (random.nextInt(4)) {
            case 0 -> {
                int depth = 1 + random.nextInt(900);
                yield new Typed("{\"type\":\"ping\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}", Set.of());
            }
            case 1 -> {
                int depth = 1100 + random.nextInt(800);
                yield new Typed("{\"type\":\"ping\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}", Set.of("MALFORMED_MESSAGE"));
            }
            case 2 -> new Typed("{\"type\":\"ping\",\"x\":" + "{\"a\":".repeat(600 + random.nextInt(100)), Set.of("MALFORMED_MESSAGE"));
            default -> new Typed("[".repeat(10_000), Set.of("FRAME_TOO_LARGE"));
        };
    }

    /** Valid UTF-8 text with one invalid sequence somewhere in it. */
    byte[] notUtf8() {
        byte[] text = ("{\"type\":\"ping\",\"x\":\"" + unicode(random.nextInt(30)) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] bad = NOT_UTF8[random.nextInt(NOT_UTF8.length)];
        int at = random.nextInt(text.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(text, 0, at);
        out.write(bad, 0, bad.length);
        out.write(text, at, text.length - at);
        return out.toByteArray();
    }

    /** Random text of ASCII and non-ASCII characters (two, three and four bytes in UTF-8), with nothing to escape in JSON. */
    String unicode(int length) {
        String[] pieces = {"a", "Z", "7", "é", "ß", "€", "ह", "中", "\uD83D\uDE00", "\uD83C\uDDEB\uD83C\uDDF7", "\uFFFD"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    /** Sends one frame the WebSocket protocol itself refuses; says which. */
    String violate(RawWebSocket socket) {
        byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(7)) {
            case 0 -> {
                socket.sendFrame(true, RawWebSocket.CONTINUATION, ping);
                return "a continuation with no message";
            }
            case 1 -> {
                int opcode = random.nextBoolean() ? 3 + random.nextInt(5) : 0xB + random.nextInt(5);
                socket.sendFrame(true, opcode, ping);
                return "reserved opcode " + opcode;
            }
            case 2 -> {
                int rsv = 0x10 << random.nextInt(3);
                socket.sendFrame(true, rsv | RawWebSocket.TEXT, ping);
                return "reserved bits " + Integer.toHexString(rsv);
            }
            case 3 -> {
                socket.sendFrame(false, RawWebSocket.PING, new byte[3]);
                return "a fragmented ping";
            }
            case 4 -> {
                socket.sendFrame(true, RawWebSocket.PING, new byte[126 + random.nextInt(200)]);
                return "a ping over 125 bytes";
            }
            case 5 -> {
                socket.sendFrame(true, RawWebSocket.CLOSE, new byte[] {3});
                return "a close frame of one byte";
            }
            default -> {
                int[] invalid = {0, 999, 1004, 1005, 1006, 1015, 1100, 2000, 2999};
                int code = invalid[random.nextInt(invalid.length)];
                socket.sendFrame(true, RawWebSocket.CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
                return "a close frame with code " + code;
            }
        }
    }
}
