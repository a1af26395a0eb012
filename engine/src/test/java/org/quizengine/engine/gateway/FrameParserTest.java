package org.quizengine.engine.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.protocol.ClientMessage;

class FrameParserTest {
    private static final String[] SPACES = {"", "", "", " ", "\n", "\t", "\r"};
    /** Not JSON's whitespace: the mapping refuses them between tokens. */
    private static final String[] OTHER_SPACES = {"\u00a0", "\ufeff", "\u000b", "\f"};
    private static final String[] NUMBERS = {"0", "1", "3", "9", "10", "127", "128", "999999999", "1000000000",
        "2147483647", "2147483648", "99999999999", "-1", "-0", "01", "00", "1.0", "1.5", "1e2", "1E0", "+1", "0x1",
        "\"1\"", "true", "null", "[]", "{}", "٣"};
    private static final String[] TYPES = {"\"answer\"", "\"answer\"", "\"Answer\"", "\"answerx\"", "\"ans\\u0077er\"",
        "\"ping\"", "null", "1", "\"\""};
    private static final String[] NAMES = {"type", "matchId", "index", "option"};

    private static QuizException refused(String frame) {
        QuizException refused = catchThrowableOfType(() -> FrameParser.parse(frame), QuizException.class);
        assertThat(refused).as(frame).isNotNull();
        return refused;
    }

    @Test
    void numbersTooBigForTheirFieldAreInvalidNotMalformed() {
        for (String frame : new String[] {"{\"type\":\"ping\",\"clientTime\":9223372036854775808}",
            "{\"type\":\"answer\",\"index\":99999999999,\"option\":1}"}) {
            QuizException refused = refused(frame);
            assertThat(refused.code()).as(frame).isEqualTo(ErrorCode.INVALID_MESSAGE);
            assertThat(refused.getMessage()).contains("out of range");
        }
        assertThat(refused("{\"type\":\"answer\",\"index\":1e308,\"option\":1}").code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void aStringFieldTakesOnlyAStringAndAnEmptyOneIsNoMatchId() {
        for (String frame : new String[] {"{\"type\":\"quick_match\",\"category\":1}", "{\"type\":\"quick_match\",\"category\":1.5}",
            "{\"type\":\"join_lobby\",\"code\":true}", "{\"type\":\"join_lobby\",\"code\":-0}",
            "{\"type\":\"answer\",\"matchId\":\"\",\"index\":0,\"option\":0}"}) {
            QuizException refused = refused(frame);
            assertThat(refused.code()).as(frame).isEqualTo(ErrorCode.INVALID_MESSAGE);
            assertThat(refused.getMessage()).contains("has the wrong type");
        }
        assertThat(FrameParser.parse("{\"type\":\"quick_match\",\"category\":\"science\",\"size\":2}"))
            .isInstanceOf(ClientMessage.QuickMatch.class);
    }

    @Test
    void whatIsNotJsonIsMalformed() {
        assertThat(refused("{\"type\":\"answer\",\"index\":NaN,\"option\":1}").code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(refused("{\"type\":\"ping\"} x").code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        for (String frame : new String[] {"", "   ", "\n", "{\"type\":\"ping\"}{\"type\":\"ping\"}", "{\"type\":\"ping\"} 1",
                "{\"type\":\"resume\"} []"}) {
            assertThat(refused(frame).code()).as("'%s'", frame).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        }
        assertThat(FrameParser.parse(" {\"type\":\"ping\"} \n")).as("whitespace around one value is JSON")
            .isInstanceOf(ClientMessage.Ping.class);
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(1001) + "]".repeat(1001) + "}";
        assertThat(refused(deep).code()).as("nested deeper than 1,000").isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        FrameParser.parse("{\"type\":\"ping\",\"x\":" + "[".repeat(900) + "]".repeat(900) + "}");
    }

    @Test
    void thePlainAnswerIsReadWithoutTheMappingAndAsTheMappingReadsIt() {
        UUID matchId = UUID.fromString("5d2a9c1e-3b7f-4e8a-9c0d-1f2e3a4b5c6d");
        for (String frame : new String[] {
            "{\"type\":\"answer\",\"matchId\":\"5d2a9c1e-3b7f-4e8a-9c0d-1f2e3a4b5c6d\",\"index\":3,\"option\":0}",
            " {\n\t\"option\" : 0 ,\"index\":3,\r\"matchId\":\"5D2A9C1E-3B7F-4E8A-9C0D-1F2E3A4B5C6D\",\"type\":\"answer\"} \n"}) {
            assertThat(AnswerScanner.scan(frame)).as(frame).isEqualTo(new ClientMessage.Answer(matchId, 3, 0));
            assertThat(FrameParser.parseMapped(frame)).as(frame).isEqualTo(new ClientMessage.Answer(matchId, 3, 0));
        }
        String withoutMatch = "{\"type\":\"answer\",\"index\":0,\"option\":1}";
        assertThat(AnswerScanner.scan(withoutMatch)).isEqualTo(new ClientMessage.Answer(null, 0, 1));
        assertThat(FrameParser.parseMapped(withoutMatch)).isEqualTo(new ClientMessage.Answer(null, 0, 1));
    }

    /**
     * Frames near the plain answer, changed one way or another: whatever the scanner reads must be what
     * the mapping reads, and whatever it leaves must come out of {@code parse} exactly as from the mapping
     * (the same message, or the same error code and words).
     */
    @Test
    void everyFrameNearAnAnswerComesOutAsTheMappingHasIt() {
        Random random = new Random(20261204);
        int scanned = 0;
        for (int i = 0; i < 20_000; i++) {
            String frame = nearAnAnswer(random);
            ClientMessage fast = AnswerScanner.scan(frame);
            String mapped = outcome(() -> FrameParser.parseMapped(frame));
            if (fast != null) {
                scanned++;
                assertThat(fast.toString()).as(frame).isEqualTo(mapped);
            }
            assertThat(outcome(() -> FrameParser.parse(frame))).as(frame).isEqualTo(mapped);
        }
        assertThat(scanned).as("frames the scanner read itself").isGreaterThan(2_000);
    }

    private static String outcome(Supplier<ClientMessage> parse) {
        try {
            return parse.get().toString();
        } catch (QuizException e) {
            return e.code() + ": " + e.getMessage();
        }
    }

    private static String nearAnAnswer(Random random) {
        UUID id = new UUID(random.nextLong(), random.nextLong());
        String uuid = switch (random.nextInt(30)) {
            case 0 -> id.toString().toUpperCase();
            case 1 -> id.toString().replace('-', '_');
            case 2 -> id.toString().substring(1);
            case 3 -> id.toString() + "0";
            case 4 -> id.toString().replace(id.toString().charAt(0), 'g');
            case 5 -> "";
            case 6 -> "1-1-1-1-1";
            case 7 -> id.toString().replace("-", "");
            case 8 -> id.toString().substring(0, 35) + "\\u0030";
            case 9 -> id.toString().substring(0, 35) + "٣";
            default -> id.toString();
        };
        List<String> fields = new ArrayList<>();
        fields.add(field(random, "type", random.nextInt(4) == 0 ? pick(random, TYPES) : "\"answer\""));
        fields.add(field(random, "matchId", random.nextInt(15) == 0 ? "null" : "\"" + uuid + "\""));
        fields.add(field(random, "index", random.nextInt(5) == 0 ? pick(random, NUMBERS) : Integer.toString(random.nextInt(30))));
        fields.add(field(random, "option", random.nextInt(5) == 0 ? pick(random, NUMBERS) : Integer.toString(random.nextInt(4))));
        switch (random.nextInt(10)) {
            case 0 -> fields.remove(random.nextInt(fields.size()));
            case 1 -> fields.add(field(random, pick(random, NAMES), "2"));
            case 2 -> fields.add(field(random, "extra", "\"x\""));
            case 3 -> fields.add(field(random, "ind\\u0065x", "2"));
            default -> {
            }
        }
        Collections.shuffle(fields, random);
        String body = "{" + String.join(space(random) + "," + space(random), fields) + space(random) + "}";
        return switch (random.nextInt(20)) {
            case 0 -> body + " x";
            case 1 -> body + "}";
            case 2 -> body.substring(0, body.length() - 1);
            case 3 -> "[" + body + "]";
            case 4 -> body.replace(",", ",,");
            default -> space(random) + body + space(random);
        };
    }

    private static String field(Random random, String name, String value) {
        return space(random) + "\"" + name + "\"" + space(random) + ":" + space(random) + value;
    }

    private static String space(Random random) {
        return pick(random, random.nextInt(100) == 0 ? OTHER_SPACES : SPACES);
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
