package org.quizengine.api.question;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an empty question bank from a JSON file on the classpath, once. Several nodes may start at
 * the same moment: they take turns on a transaction-scoped advisory lock, and only the first one
 * to find the {@code questions} table empty inserts anything.
 */
public final class QuestionBankSeeder {
    public static final String DEFAULT_RESOURCE = "/questions/bank.json";

    /** Arbitrary, but fixed: every node must take the same advisory lock. */
    static final long SEED_LOCK_KEY = 7_391_002_311L;

    static final String TAKE_SEED_LOCK = "SELECT pg_advisory_xact_lock($1)";
    static final String ANY_QUESTION = "SELECT EXISTS (SELECT 1 FROM questions)";
    static final String INSERT_CATEGORY = """
        INSERT INTO categories (id, name) VALUES ($1, $2)
        ON CONFLICT (id) DO NOTHING""";
    static final String INSERT_QUESTION = """
        INSERT INTO questions (category_id, difficulty, text, options, correct_option)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (category_id, text) DO NOTHING""";

    private static final Logger LOG = LoggerFactory.getLogger(QuestionBankSeeder.class);

    private final Vertx vertx;
    private final String resource;

    /** Seeds from {@link #DEFAULT_RESOURCE}. */
    public QuestionBankSeeder(Vertx vertx) {
        this(vertx, DEFAULT_RESOURCE);
    }

    public QuestionBankSeeder(Vertx vertx, String resource) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.resource = Objects.requireNonNull(resource, "resource");
    }

    /**
     * Inserts the bank's categories and questions in one transaction if there is no question yet.
     *
     * @return how many questions were inserted; 0 when the bank was already seeded
     */
    public Future<Integer> seedIfEmpty(Pool pool) {
        return pool.withTransaction(conn -> conn.preparedQuery(TAKE_SEED_LOCK).execute(Tuple.of(SEED_LOCK_KEY))
            .compose(locked -> conn.query(ANY_QUESTION).execute())
            .compose(rows -> {
                if (rows.iterator().next().getBoolean(0)) {
                    return Future.succeededFuture(0);
                }
                // Read the file only when it is needed: every start but the first skips it.
                return readBank().compose(bank -> insert(conn, bank));
            }))
            .onSuccess(count -> {
                if (count > 0) {
                    LOG.info("Seeded the question bank with {} questions from {}", count, resource);
                }
            });
    }

    private Future<QuestionBank> readBank() {
        return vertx.executeBlocking(() -> {
            try (InputStream in = QuestionBankSeeder.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new FileNotFoundException("No question bank on the classpath at " + resource);
                }
                return QuestionBank.parse(in);
            }
        });
    }

    private static Future<Integer> insert(SqlConnection conn, QuestionBank bank) {
        if (bank.questions().isEmpty()) {
            return Future.succeededFuture(0);
        }
        List<Tuple> categories = bank.categories().stream()
            .map(category -> Tuple.of(category.id(), category.name()))
            .toList();
        List<Tuple> questions = bank.questions().stream()
            .map(q -> Tuple.of(q.category(), q.difficulty(), q.text(), q.options().toArray(String[]::new),
                q.correct().shortValue()))
            .toList();
        return conn.preparedQuery(INSERT_CATEGORY).executeBatch(categories)
            .compose(inserted -> conn.preparedQuery(INSERT_QUESTION).executeBatch(questions))
            .map(QuestionBankSeeder::totalRowCount);
    }

    /** A batch answers with one result per tuple, chained by {@code next()}. */
    private static int totalRowCount(SqlResult<?> batch) {
        int total = 0;
        for (SqlResult<?> result = batch; result != null; result = result.next()) {
            total += result.rowCount();
        }
        return total;
    }
}
