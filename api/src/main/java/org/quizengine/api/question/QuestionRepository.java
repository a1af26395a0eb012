package org.quizengine.api.question;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.quizengine.shared.match.QuestionSpec;

/** Reads the question bank: what matches may ask, and the categories players pick from. */
public final class QuestionRepository {

    static final String LOAD_ACTIVE = """
        SELECT q.id, q.category_id, q.difficulty, q.text, q.options, q.correct_option
        FROM questions q
        JOIN categories c ON c.id = q.category_id
        WHERE q.active AND c.active
        ORDER BY q.id""";

    static final String ACTIVE_CATEGORIES = """
        SELECT c.id, c.name, count(q.id) FILTER (WHERE q.active) AS active_questions
        FROM categories c
        LEFT JOIN questions q ON q.category_id = c.id
        WHERE c.active
        GROUP BY c.id, c.name
        ORDER BY c.name, c.id""";

    static final String ALL_CATEGORIES = """
        SELECT c.id, c.name, c.active, count(q.id) FILTER (WHERE q.active) AS active_questions
        FROM categories c
        LEFT JOIN questions q ON q.category_id = c.id
        GROUP BY c.id, c.name, c.active
        ORDER BY c.name, c.id""";

    private final Pool pool;

    public QuestionRepository(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Every active question of every active category, correct options included, by id. */
    public Future<List<QuestionSpec>> loadActive() {
        return pool.query(LOAD_ACTIVE).execute().map(rows -> {
            List<QuestionSpec> questions = new ArrayList<>(rows.size());
            rows.forEach(row -> questions.add(toSpec(row)));
            return questions;
        });
    }

    /** The active categories by name, each with its number of active questions (possibly 0). */
    public Future<List<Category>> categories() {
        return pool.query(ACTIVE_CATEGORIES).execute().map(rows -> {
            List<Category> categories = new ArrayList<>(rows.size());
            rows.forEach(row -> categories.add(
                new Category(row.getString("id"), row.getString("name"), row.getLong("active_questions").intValue())));
            return categories;
        });
    }

    /** Every category, active or not, by name, each with its number of active questions: what moderators see. */
    public Future<List<CategoryOverview>> allCategories() {
        return pool.query(ALL_CATEGORIES).execute().map(rows -> {
            List<CategoryOverview> categories = new ArrayList<>(rows.size());
            rows.forEach(row -> categories.add(new CategoryOverview(row.getString("id"), row.getString("name"),
                row.getBoolean("active"), row.getLong("active_questions").intValue())));
            return categories;
        });
    }

    private static QuestionSpec toSpec(Row row) {
        return new QuestionSpec(row.getLong("id"), row.getString("category_id"), row.getString("difficulty"),
            row.getString("text"), Arrays.asList(row.getArrayOfStrings("options")), row.getShort("correct_option"));
    }
}
