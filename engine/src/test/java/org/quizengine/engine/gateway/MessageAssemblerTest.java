package org.quizengine.engine.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.gateway.MessageAssembler.Kind;

class MessageAssemblerTest {
    private static final int MAX_TEXT = 64;
    private static final int MAX_MESSAGE = 1024;

    /** A text message of these bytes, in fragments cut at {@code cuts} (a text frame may not hold arbitrary bytes). */
    private static Kind send(MessageAssembler assembler, byte[] bytes, int... cuts) {
        Kind last = assembler.accept(WebSocketFrame.textFrame("", false)).kind();
        assertThat(last).isEqualTo(Kind.PARTIAL);
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            last = assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer(Arrays.copyOfRange(bytes, from, to)),
                i == cuts.length)).kind();
            if (i < cuts.length && last != Kind.PARTIAL) {
                return last;
            }
            from = to;
        }
        return last;
    }

    private static boolean strictlyUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void textIsCheckedAsStrictlyAsTheJdkDecoderWhereverTheFragmentsAreCut() {
        Random random = new Random(12);
        byte[] interesting = {0x00, 0x41, 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF,
            (byte) 0xE0, (byte) 0xA0, (byte) 0xED, (byte) 0x9F, (byte) 0xEF, (byte) 0xF0, (byte) 0x90, (byte) 0xF4,
            (byte) 0x8F, (byte) 0xF5, (byte) 0xFF};
        MessageAssembler assembler = new MessageAssembler(MAX_TEXT, MAX_MESSAGE);
        for (int run = 0; run < 20_000; run++) {
            byte[] bytes = new byte[random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = interesting[random.nextInt(interesting.length)];
            }
            int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            Kind expected = strictlyUtf8(bytes) ? Kind.TEXT : Kind.NOT_UTF8;
            assertThat(send(assembler, bytes, cut)).as("%s cut at %d", Arrays.toString(bytes), cut).isEqualTo(expected);
        }
    }

    @Test
    void aWholeMessageComesBackAsTextAndSizesAreCountedInBytes() {
        MessageAssembler assembler = new MessageAssembler(MAX_TEXT, MAX_MESSAGE);
        MessageAssembler.Message ping = assembler.accept(WebSocketFrame.textFrame("{\"type\":\"ping\",\"x\":\"€\"}", true));
        assertThat(ping.kind()).isEqualTo(Kind.TEXT);
        assertThat(ping.text()).isEqualTo("{\"type\":\"ping\",\"x\":\"€\"}");
        byte[] euros = "€".repeat(22).getBytes(StandardCharsets.UTF_8); // 22 characters, 66 bytes
        assertThat(send(assembler, euros, 10, 40)).isEqualTo(Kind.TEXT_TOO_LARGE);
        assertThat(send(assembler, new byte[MAX_MESSAGE + 1], 100, 600)).isEqualTo(Kind.TOO_BIG);
        assertThat(assembler.accept(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {(byte) 0xFF}), true)).kind())
            .as("binary is not text").isEqualTo(Kind.BINARY);
        assertThat(assembler.accept(WebSocketFrame.pingFrame(Buffer.buffer("x"))).kind()).isEqualTo(Kind.PARTIAL);
    }
}
