package org.quizengine.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.lang.reflect.RecordComponent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quizengine.shared.Wire;

/** The hand-written frames must be exactly what the data-bound mapping writes, or clients would see two dialects. */
class FrameEncoderTest {
    private static final String[] TEXTS = {
        "", "plain", "Zoë's \"quoted\" back\\slash", "tab\there, newline\nthere, bell\u0007", "emoji 🎉 and 日本語",
        "slash / and <html>&amp;", "\u2028line separator\u2029", "null",
    };

    private final Random random = new Random(20261204);

    @Test
    void everyHotFrameIsByteForByteWhatTheMappingWrites() {
        for (int i = 0; i < 2_000; i++) {
            for (ServerEvent event : List.of(answerAccepted(), question(), reveal(), matchFinished())) {
                byte[] mapped = Wire.encodeBytes(event);
                byte[] written = FrameEncoder.encode(event);
                assertThat(new String(written, StandardCharsets.UTF_8))
                    .as("event %s", event)
                    .isEqualTo(new String(mapped, StandardCharsets.UTF_8));
                assertThat(written).isEqualTo(mapped);
                assertThat(Wire.decode(written, ServerEvent.class)).isEqualTo(event);
            }
        }
    }

    @Test
    void aFrameLargerThanTheKeptBufferComesOutWholeAndTheNextIsNotDisturbedByIt() {
        String huge = "x".repeat(200_000) + "🎉";
        ServerEvent big = new ServerEvent.Question(UUID.randomUUID(), 0, 1, "science", "easy", huge,
            List.of(huge, "b"), 1L, 2L, 3L);
        ServerEvent small = answerAccepted();

        assertThat(FrameEncoder.encode(big)).isEqualTo(Wire.encodeBytes(big));
        assertThat(FrameEncoder.encode(small)).isEqualTo(Wire.encodeBytes(small));
    }

    @Test
    void anyOtherEventIsTheMappingsOwn() {
        ServerEvent welcome = new ServerEvent.Welcome(1, UUID.randomUUID(), "alice", 5L);

        assertThat(FrameEncoder.encode(welcome)).isEqualTo(Wire.encodeBytes(welcome));
        assertThat(ServerFrame.of(welcome).type()).isEqualTo("welcome");
    }

    @Test
    void textThatIsNotValidUtf16ComesOutAsInTheMapping() {
        for (String broken : new String[] {"a\uD800b", "a\uDC00b", "ends \uD83C", "\uDC00\uD800"}) {
            ServerEvent event = new ServerEvent.MatchFinished(UUID.randomUUID(), List.of(), 1L, broken);

            assertThat(outcome(() -> FrameEncoder.encode(event))).as(broken).isEqualTo(outcome(() -> Wire.encodeBytes(event)));
        }
    }

    private static String outcome(Supplier<byte[]> encode) {
        try {
            return Arrays.toString(encode.get());
        } catch (IllegalStateException e) {
            return "refused";
        }
    }

    /** The {@code ref} of an error frame and a delivered frame's type come from these names. */
    @Test
    void everyMessageHasTheWireTypeItsFamilyNamesIt() throws ReflectiveOperationException {
        for (JsonSubTypes.Type type : ClientMessage.class.getAnnotation(JsonSubTypes.class).value()) {
            assertThat(((ClientMessage) blank(type.value())).typeName()).isEqualTo(type.name());
        }
        for (JsonSubTypes.Type type : ServerEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            ServerEvent event = (ServerEvent) blank(type.value());
            assertThat(ServerFrame.of(event).type()).as(type.value().getSimpleName()).isEqualTo(type.name());
        }
        assertThat(ClientMessage.class.getPermittedSubclasses()).hasSize(ClientMessage.class.getAnnotation(JsonSubTypes.class).value().length);
        assertThat(ServerEvent.class.getPermittedSubclasses()).hasSize(ServerEvent.class.getAnnotation(JsonSubTypes.class).value().length);
    }

    /** A record with every component null, zero or false. */
    private static Object blank(Class<?> record) throws ReflectiveOperationException {
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            if (types[i] == boolean.class) {
                values[i] = false;
            } else if (types[i] == int.class) {
                values[i] = 0;
            } else if (types[i] == long.class) {
                values[i] = 0L;
            }
        }
        return record.getDeclaredConstructor(types).newInstance(values);
    }

    private ServerEvent answerAccepted() {
        return new ServerEvent.AnswerAccepted(uuid(), random.nextInt(50), random.nextInt(4), random.nextLong());
    }

    private ServerEvent question() {
        List<String> options = random.nextInt(10) == 0 ? null : texts(random.nextInt(6));
        return new ServerEvent.Question(uuid(), random.nextInt(50), random.nextInt(50), text(), text(), text(),
            options, random.nextLong(), random.nextLong(), random.nextLong());
    }

    private ServerEvent reveal() {
        List<AnswerResult> results = new ArrayList<>();
        for (int i = random.nextInt(12); i > 0; i--) {
            if (random.nextInt(20) == 0) {
                results.add(null);
                continue;
            }
            results.add(new AnswerResult(uuid(), random.nextBoolean() ? random.nextInt(4) : null, random.nextBoolean(),
                random.nextInt(2000), random.nextInt(10), random.nextBoolean() ? random.nextLong() : null));
        }
        return new ServerEvent.Reveal(uuid(), random.nextInt(50), random.nextInt(4), random.nextInt(10) == 0 ? null : results,
            standings(), random.nextLong(), random.nextBoolean() ? random.nextLong() : null);
    }

    private ServerEvent matchFinished() {
        return new ServerEvent.MatchFinished(uuid(), standings(), random.nextLong(), text());
    }

    private List<Standing> standings() {
        if (random.nextInt(10) == 0) {
            return null;
        }
        List<Standing> standings = new ArrayList<>();
        for (int i = random.nextInt(12); i > 0; i--) {
            if (random.nextInt(20) == 0) {
                standings.add(null);
                continue;
            }
            standings.add(new Standing(random.nextInt(12), uuid(), text(), random.nextInt(20_000), random.nextInt(10),
                random.nextInt(10), text()));
        }
        return standings;
    }

    /** Sometimes null (the mapping leaves such fields out), sometimes the extreme values a UUID's digits take. */
    private UUID uuid() {
        switch (random.nextInt(8)) {
            case 0:
                return null;
            case 1:
                return new UUID(0L, 0L);
            case 2:
                return new UUID(-1L, -1L);
            default:
                return new UUID(random.nextLong(), random.nextLong());
        }
    }

    private String text() {
        return random.nextInt(8) == 0 ? null : TEXTS[random.nextInt(TEXTS.length)] + random.nextInt(1000);
    }

    private List<String> texts(int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add(random.nextInt(20) == 0 ? null : TEXTS[random.nextInt(TEXTS.length)]);
        }
        return texts;
    }
}
