package org.quizengine.shared.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.quizengine.shared.Wire;

/**
 * Writes the frames a match sends most often ({@code answer_accepted} for every answer; {@code question},
 * {@code reveal} and {@code match_finished} for every player of every match) field by field, with the
 * same generator settings as {@link Wire}, so they come out byte for byte as {@link Wire#encodeBytes}
 * would write them. A profile of a node at 10,000 players put a sixth of everything it allocated in
 * encoding these through Jackson's data binding (its serializers, the getters called by reflection,
 * every number boxed, a {@code char[]} for every UUID); here little is allocated beyond the generator
 * and the frame itself. Every other event goes through {@link Wire#encodeBytes}.
 */
final class FrameEncoder {
    /** One buffer and one UUID's characters per thread: an encoding never calls out, so never re-enters. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int UUID_LENGTH = 36;

    private FrameEncoder() {
    }

    /** The frame of {@code event}, as {@link Wire#encodeBytes} writes it. */
    static byte[] encode(ServerEvent event) {
        if (!(event instanceof ServerEvent.AnswerAccepted || event instanceof ServerEvent.Question
            || event instanceof ServerEvent.Reveal || event instanceof ServerEvent.MatchFinished)) {
            return Wire.encodeBytes(event);
        }
        String type = WireTypes.SERVER.get(event.getClass());
        Scratch scratch = SCRATCH.get();
        scratch.reset();
        try (JsonGenerator generator = Wire.mapper().createGenerator(scratch, JsonEncoding.UTF8)) {
            generator.writeStartObject();
            generator.writeStringField("type", type);
            uuid(generator, scratch, "matchId", event.matchId());
            fields(generator, scratch, event);
            generator.writeEndObject();
        } catch (IOException e) {
            // As Wire says it: only a programming error (text that is not valid UTF-16) gets here.
            throw new IllegalStateException("cannot encode " + type, e);
        }
        return scratch.toByteArray();
    }

    private static void fields(JsonGenerator g, Scratch s, ServerEvent event) throws IOException {
        if (event instanceof ServerEvent.AnswerAccepted accepted) {
            answerAccepted(g, accepted);
        } else if (event instanceof ServerEvent.Question question) {
            question(g, question);
        } else if (event instanceof ServerEvent.Reveal reveal) {
            reveal(g, s, reveal);
        } else if (event instanceof ServerEvent.MatchFinished finished) {
            matchFinished(g, s, finished);
        } else {
            throw new IllegalStateException("no hand-written fields for " + event.getClass().getName());
        }
    }

    private static void answerAccepted(JsonGenerator g, ServerEvent.AnswerAccepted event) throws IOException {
        g.writeNumberField("index", event.index());
        g.writeNumberField("option", event.option());
        g.writeNumberField("elapsedMs", event.elapsedMs());
    }

    private static void question(JsonGenerator g, ServerEvent.Question event) throws IOException {
        g.writeNumberField("index", event.index());
        g.writeNumberField("total", event.total());
        string(g, "category", event.category());
        string(g, "difficulty", event.difficulty());
        string(g, "text", event.text());
        if (event.options() != null) {
            g.writeArrayFieldStart("options");
            for (String option : event.options()) {
                g.writeString(option);
            }
            g.writeEndArray();
        }
        g.writeNumberField("openedAt", event.openedAt());
        g.writeNumberField("deadline", event.deadline());
        g.writeNumberField("serverTime", event.serverTime());
    }

    private static void reveal(JsonGenerator g, Scratch s, ServerEvent.Reveal event) throws IOException {
        g.writeNumberField("index", event.index());
        g.writeNumberField("correctOption", event.correctOption());
        if (event.results() != null) {
            g.writeArrayFieldStart("results");
            for (AnswerResult result : event.results()) {
                answerResult(g, s, result);
            }
            g.writeEndArray();
        }
        standings(g, s, "standings", event.standings());
        g.writeNumberField("closedAt", event.closedAt());
        if (event.nextQuestionAt() != null) {
            g.writeNumberField("nextQuestionAt", event.nextQuestionAt());
        }
    }

    private static void matchFinished(JsonGenerator g, Scratch s, ServerEvent.MatchFinished event) throws IOException {
        standings(g, s, "ranking", event.ranking());
        g.writeNumberField("finishedAt", event.finishedAt());
        string(g, "endReason", event.endReason());
    }

    private static void answerResult(JsonGenerator g, Scratch s, AnswerResult result) throws IOException {
        if (result == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        uuid(g, s, "userId", result.userId());
        if (result.option() != null) {
            g.writeNumberField("option", result.option());
        }
        g.writeBooleanField("correct", result.correct());
        g.writeNumberField("points", result.points());
        g.writeNumberField("streak", result.streak());
        if (result.elapsedMs() != null) {
            g.writeNumberField("elapsedMs", result.elapsedMs());
        }
        g.writeEndObject();
    }

    private static void standings(JsonGenerator g, Scratch s, String name, List<Standing> standings) throws IOException {
        if (standings == null) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (Standing standing : standings) {
            if (standing == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            g.writeNumberField("rank", standing.rank());
            uuid(g, s, "userId", standing.userId());
            string(g, "username", standing.username());
            g.writeNumberField("score", standing.score());
            g.writeNumberField("correctAnswers", standing.correctAnswers());
            g.writeNumberField("streak", standing.streak());
            string(g, "status", standing.status());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Left out when null, as {@link Wire}'s mapping leaves out every null field. */
    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** The canonical form {@link UUID#toString} gives, written from the scratch characters. */
    private static void uuid(JsonGenerator g, Scratch s, String name, UUID value) throws IOException {
        if (value == null) {
            return;
        }
        char[] chars = s.uuid;
        hex(chars, 0, value.getMostSignificantBits() >>> 32, 8);
        chars[8] = '-';
        hex(chars, 9, value.getMostSignificantBits() >>> 16, 4);
        chars[13] = '-';
        hex(chars, 14, value.getMostSignificantBits(), 4);
        chars[18] = '-';
        hex(chars, 19, value.getLeastSignificantBits() >>> 48, 4);
        chars[23] = '-';
        hex(chars, 24, value.getLeastSignificantBits(), 12);
        g.writeFieldName(name);
        g.writeString(chars, 0, chars.length);
    }

    /** The low {@code digits} hex digits of {@code bits}, most significant first. */
    private static void hex(char[] chars, int at, long bits, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            chars[at + i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
    }

    /** A growing byte buffer kept by its thread, and a UUID's 36 characters. */
    private static final class Scratch extends OutputStream {
        private static final int INITIAL = 4096;
        /** A buffer grown past this for one big frame is let go afterwards rather than kept by the thread. */
        private static final int KEPT = 64 * 1024;
        private byte[] bytes = new byte[INITIAL];
        private int length;
        private final char[] uuid = new char[UUID_LENGTH];

        void reset() {
            length = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int count) {
            ensure(count);
            System.arraycopy(source, offset, bytes, length, count);
            length += count;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        byte[] toByteArray() {
            byte[] frame = Arrays.copyOf(bytes, length);
            if (bytes.length > KEPT) {
                bytes = new byte[INITIAL];
            }
            return frame;
        }
    }
}
