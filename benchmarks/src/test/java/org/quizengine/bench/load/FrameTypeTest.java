package org.quizengine.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import org.junit.jupiter.api.Test;

class FrameTypeTest {

    @Test
    void theTypeWrittenFirstIsReadWithoutParsingTheRest() {
        // The rest is not JSON at all: only a reader that stops at the type gets this right.
        assertThat(FrameType.of(Buffer.buffer("{\"type\":\"reveal\",\"standings\":[oops"))).isEqualTo("reveal");
    }

    @Test
    void aTypeAnywhereElseIsFoundByParsing() {
        assertThat(FrameType.of(Buffer.buffer("{\"index\":3,\"type\":\"question\"}"))).isEqualTo("question");
        assertThat(FrameType.of(Buffer.buffer("{ \"type\" : \"pong\" }"))).isEqualTo("pong");
        assertThat(FrameType.of(Buffer.buffer("{\"type\":\"a\\u0062c\"}"))).isEqualTo("abc");
        assertThat(FrameType.of(Buffer.buffer("{\"type\":\"café\"}"))).isEqualTo("café");
        assertThat(FrameType.of(Buffer.buffer("{\"code\":\"X\"}"))).isEmpty();
    }

    @Test
    void aFrameThatIsNotAJsonObjectIsAnError() {
        assertThatThrownBy(() -> FrameType.of(Buffer.buffer("not json"))).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> FrameType.of(Buffer.buffer("{\"type\":\"" + "x".repeat(50))))
            .isInstanceOf(DecodeException.class);
    }
}
