package org.quizengine.api.question;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.ValidationException;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Reads and writes the question bank for moderators: questions with their correct options and
 * versions, and categories. Every edit bumps the question's {@code version} and is refused when
 * the caller's version is stale, so two moderators never overwrite each other unknowingly.
 * Live matches are not affected: they hold copies of their questions taken at their start.
 */
public final class QuestionModerationStore {
    static final String COLUMNS = "id, category_id, difficulty, text, options, correct_option, active, version,"
        + " created_at, updated_at";
    static final String LIST = "SELECT " + COLUMNS + """
         FROM questions
        WHERE ($1::text IS NULL OR category_id = $1)
          AND ($2::boolean IS NULL OR active = $2)
          AND ($3::text IS NULL OR difficulty = $3)
          AND ($4::text IS NULL OR text ILIKE '%' || $4 || '%' ESCAPE '\\')
          AND id > $5
        ORDER BY id
        LIMIT $6""";
    static final String FIND = "SELECT " + COLUMNS + " FROM questions WHERE id = $1";
    static final String INSERT = """
        INSERT INTO questions (category_id, difficulty, text, options, correct_option, active)
        VALUES ($1, $2, $3, $4, $5, $6)
        RETURNING\s""" + COLUMNS;
    static final String UPDATE = """
        UPDATE questions
           SET category_id = $3, difficulty = $4, text = $5, options = $6, correct_option = $7, active = $8,
               version = version + 1, updated_at = now()
         WHERE id = $1 AND version = $2
        RETURNING\s""" + COLUMNS;
    static final String SET_ACTIVE = """
        UPDATE questions
           SET active = $2, version = version + 1, updated_at = now()
         WHERE id = $1 AND active <> $2
        RETURNING\s""" + COLUMNS;
    static final String EXISTING_CATEGORIES = "SELECT id FROM categories WHERE id = ANY($1)";
    static final String EXISTING_TEXTS = """
        SELECT q.category_id, q.text
          FROM questions q, unnest($1::text[], $2::text[]) AS batch (category_id, text)
         WHERE q.category_id = batch.category_id AND q.text = batch.text""";
    static final String INSERT_CATEGORY = "INSERT INTO categories (id, name) VALUES ($1, $2) RETURNING id, name, active";
    static final String UPDATE_CATEGORY = """
        UPDATE categories SET name = coalesce($2, name), active = coalesce($3, active)
         WHERE id = $1
        RETURNING id, name, active""";

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final Pool pool;

    public QuestionModerationStore(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** One page by ascending id, and the cursor for the next one. */
    Future<QuestionPage> list(QuestionFilter filter) {
        Tuple params = Tuple.tuple()
            .addValue(filter.category())
            .addValue(filter.active())
            .addValue(filter.difficulty())
            .addValue(filter.search() == null ? null : likeEscaped(filter.search()))
            .addValue(filter.after() == null ? 0L : filter.after())
            .addValue(filter.limit() + 1);
        return pool.preparedQuery(LIST).execute(params).map(rows -> {
            List<ModeratedQuestion> items = toQuestions(rows);
            if (items.size() <= filter.limit()) {
                return new QuestionPage(items, null);
            }
            List<ModeratedQuestion> page = items.subList(0, filter.limit());
            return new QuestionPage(page, page.get(page.size() - 1).id());
        });
    }

    Future<Optional<ModeratedQuestion>> find(long id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id))
            .map(rows -> toQuestions(rows).stream().findFirst());
    }

    /** Inserts a checked draft; an unknown category is a field error, a text already in its category a conflict. */
    Future<ModeratedQuestion> create(QuestionDraft draft) {
        return requireCategory(draft.category())
            .compose(v -> pool.preparedQuery(INSERT).execute(insertParams(draft)))
            .map(rows -> toQuestions(rows).get(0))
            .recover(QuestionModerationStore::explainWriteFailure);
    }

    /**
     * Replaces a question's fields if it is still at {@code expectedVersion}.
     * Fails NOT_FOUND for an unknown id and QUESTION_EDIT_CONFLICT for a stale version.
     */
    Future<ModeratedQuestion> update(long id, int expectedVersion, QuestionDraft draft) {
        Tuple params = Tuple.of(id, expectedVersion, draft.category(), draft.difficulty(), draft.text(),
            draft.options().toArray(String[]::new), (short) draft.correctOption(), draft.active());
        return requireCategory(draft.category())
            .compose(v -> pool.preparedQuery(UPDATE).execute(params))
            .compose(rows -> rows.size() == 1 ? Future.succeededFuture(toQuestions(rows).get(0)) : staleOrMissing(id))
            .recover(QuestionModerationStore::explainWriteFailure);
    }

    /** Activates or deactivates a question, whatever its version; doing it twice changes nothing the second time. */
    Future<ModeratedQuestion> setActive(long id, boolean active) {
        return pool.preparedQuery(SET_ACTIVE).execute(Tuple.of(id, active)).compose(rows -> rows.size() == 1
            ? Future.succeededFuture(toQuestions(rows).get(0))
            : find(id).map(found -> found.orElseThrow(() -> notFound(id))));
    }

    /** Which of {@code ids} are categories (active or not). */
    Future<Set<String>> existingCategories(Collection<String> ids) {
        return pool.preparedQuery(EXISTING_CATEGORIES).execute(Tuple.of(ids.toArray(String[]::new)))
            .map(rows -> {
                Set<String> found = new HashSet<>();
                rows.forEach(row -> found.add(row.getString("id")));
                return found;
            });
    }

    /** Which of the drafts' (category, text) pairs the bank already holds, as {@link #key} strings. */
    Future<Set<String>> existingTexts(List<QuestionDraft> drafts) {
        String[] categories = drafts.stream().map(QuestionDraft::category).toArray(String[]::new);
        String[] texts = drafts.stream().map(QuestionDraft::text).toArray(String[]::new);
        return pool.preparedQuery(EXISTING_TEXTS).execute(Tuple.tuple().addValue(categories).addValue(texts)).map(rows -> {
            Set<String> found = new HashSet<>();
            rows.forEach(row -> found.add(key(row.getString("category_id"), row.getString("text"))));
            return found;
        });
    }

    /** Inserts every draft in one transaction: all or none. Returns the new ids in the drafts' order. */
    Future<List<Long>> insertAll(List<QuestionDraft> drafts) {
        if (drafts.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Tuple> batch = drafts.stream().map(QuestionModerationStore::insertParams).toList();
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT).executeBatch(batch))
            .map(QuestionModerationStore::ids)
            .recover(QuestionModerationStore::explainWriteFailure);
    }

    Future<ModeratedCategory> createCategory(String id, String name) {
        return pool.preparedQuery(INSERT_CATEGORY).execute(Tuple.of(id, name))
            .map(rows -> toCategory(rows.iterator().next()))
            .recover(failure -> Future.failedFuture(isViolation(failure, UNIQUE_VIOLATION)
                ? new QuizException(ErrorCode.CATEGORY_EXISTS, "There is already a category '" + id + "'.")
                : failure));
    }

    /** Renames and/or (de)activates a category; a null leaves that field as it is. */
    Future<ModeratedCategory> updateCategory(String id, String name, Boolean active) {
        Tuple params = Tuple.tuple().addValue(id).addValue(name).addValue(active);
        return pool.preparedQuery(UPDATE_CATEGORY).execute(params).map(rows -> {
            if (rows.size() == 0) {
                throw new QuizException(ErrorCode.NOT_FOUND, "No such category.");
            }
            return toCategory(rows.iterator().next());
        });
    }

    /** How the same question is recognised: its category and exact (trimmed) text. */
    static String key(String category, String text) {
        return category + "\u0000" + text;
    }

    private Future<Void> requireCategory(String category) {
        return existingCategories(List.of(category)).compose(found -> found.contains(category)
            ? Future.succeededFuture()
            : Future.failedFuture(unknownCategory()));
    }

    private Future<ModeratedQuestion> staleOrMissing(long id) {
        return find(id).map(found -> {
            if (found.isEmpty()) {
                throw notFound(id);
            }
            throw new QuizException(ErrorCode.QUESTION_EDIT_CONFLICT, "Question " + id + " was changed by someone"
                + " else; it is now at version " + found.get().version() + ". Reload it and edit again.");
        });
    }

    private static <T> Future<T> explainWriteFailure(Throwable failure) {
        if (isViolation(failure, UNIQUE_VIOLATION)) {
            return Future.failedFuture(new QuizException(ErrorCode.QUESTION_DUPLICATE,
                "A question with this text already exists in this category."));
        }
        if (isViolation(failure, FOREIGN_KEY_VIOLATION)) {
            // The category was checked, then removed before the write.
            return Future.failedFuture(unknownCategory());
        }
        return Future.failedFuture(failure);
    }

    private static ValidationException unknownCategory() {
        return new ValidationException(List.of(new FieldError("category", "No such category.")));
    }

    private static QuizException notFound(long id) {
        return new QuizException(ErrorCode.NOT_FOUND, "No question " + id + ".");
    }

    private static boolean isViolation(Throwable failure, String sqlState) {
        return failure instanceof PgException pg && sqlState.equals(pg.getSqlState());
    }

    private static Tuple insertParams(QuestionDraft draft) {
        return Tuple.of(draft.category(), draft.difficulty(), draft.text(), draft.options().toArray(String[]::new),
            (short) draft.correctOption(), draft.active());
    }

    /** A batch answers with one result per tuple, chained by {@code next()}. */
    private static List<Long> ids(RowSet<Row> batch) {
        List<Long> ids = new ArrayList<>();
        for (RowSet<Row> result = batch; result != null; result = result.next()) {
            result.forEach(row -> ids.add(row.getLong("id")));
        }
        return ids;
    }

    private static String likeEscaped(String search) {
        return search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static List<ModeratedQuestion> toQuestions(RowSet<Row> rows) {
        List<ModeratedQuestion> questions = new ArrayList<>(rows.size());
        rows.forEach(row -> questions.add(new ModeratedQuestion(row.getLong("id"), row.getString("category_id"),
            row.getString("difficulty"), row.getString("text"), Arrays.asList(row.getArrayOfStrings("options")),
            row.getShort("correct_option"), row.getBoolean("active"), row.getInteger("version"),
            row.getOffsetDateTime("created_at").toInstant().toString(),
            row.getOffsetDateTime("updated_at").toInstant().toString())));
        return questions;
    }

    private static ModeratedCategory toCategory(Row row) {
        return new ModeratedCategory(row.getString("id"), row.getString("name"), row.getBoolean("active"));
    }
}
