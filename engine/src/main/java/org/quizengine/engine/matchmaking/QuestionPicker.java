package org.quizengine.engine.matchmaking;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.quizengine.shared.match.QuestionSpec;

/** Draws a match's questions from the active question bank, without repeats. */
final class QuestionPicker {
    private final List<QuestionSpec> all;
    private final Map<String, List<QuestionSpec>> byCategory = new HashMap<>();

    QuestionPicker(List<QuestionSpec> questions) {
        this.all = List.copyOf(questions);
        for (QuestionSpec question : all) {
            byCategory.computeIfAbsent(question.category(), c -> new ArrayList<>()).add(question);
        }
    }

    boolean knowsCategory(String category) {
        return byCategory.containsKey(category);
    }

    /** Questions available in {@code category} (null: all categories). */
    int available(String category) {
        return category == null ? all.size() : byCategory.getOrDefault(category, List.of()).size();
    }

    /** {@code count} distinct questions of {@code category} (null: any), in random order. */
    List<QuestionSpec> pick(String category, int count, Random random) {
        List<QuestionSpec> pool = new ArrayList<>(category == null ? all : byCategory.getOrDefault(category, List.of()));
        if (pool.size() < count) {
            throw new IllegalStateException("only " + pool.size() + " questions for " + category);
        }
        // A partial Fisher-Yates shuffle: only the first `count` places are needed.
        for (int i = 0; i < count; i++) {
            Collections.swap(pool, i, i + random.nextInt(pool.size() - i));
        }
        return List.copyOf(pool.subList(0, count));
    }
}
