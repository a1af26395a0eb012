package org.quizengine.bench.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The correct answers of the bundled question bank, by question text, so simulated players can
 * answer with a chosen accuracy although the server never tells them the answer before the reveal.
 * A question it does not know (a server with another bank) is answered at random.
 */
final class AnswerKey {
    private static final String BANK = "questions/bank.json";

    private final Map<String, String> correctByText;

    private AnswerKey(Map<String, String> correctByText) {
        this.correctByText = correctByText;
    }

    static AnswerKey bundled() {
        try (InputStream in = AnswerKey.class.getClassLoader().getResourceAsStream(BANK)) {
            if (in == null) {
                return new AnswerKey(Map.of());
            }
            JsonArray questions = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("questions");
            Map<String, String> key = new HashMap<>();
            for (int i = 0; i < questions.size(); i++) {
                JsonObject q = questions.getJsonObject(i);
                key.put(q.getString("text"), q.getJsonArray("options").getString(q.getInteger("correct")));
            }
            return new AnswerKey(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BANK, e);
        }
    }

    /** The index of the correct option among {@code options} as the server ordered them, if known. */
    Optional<Integer> correctOption(String text, List<String> options) {
        String correct = correctByText.get(text);
        int index = correct == null ? -1 : options.indexOf(correct);
        return index < 0 ? Optional.empty() : Optional.of(index);
    }
}
