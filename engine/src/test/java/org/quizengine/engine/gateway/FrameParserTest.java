package org.quizengine.engine.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.protocol.ClientMessage;

class FrameParserTest {
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
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(1001) + "]".repeat(1001) + "}";
        assertThat(refused(deep).code()).as("nested deeper than 1,000").isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        FrameParser.parse("{\"type\":\"ping\",\"x\":" + "[".repeat(900) + "]".repeat(900) + "}");
    }
}
