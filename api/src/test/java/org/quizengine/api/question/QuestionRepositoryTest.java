package org.quizengine.api.question;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.testing.StoreFixtures.await;
import static org.quizengine.api.testing.StoreFixtures.failureOf;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.storage.Stores;
import org.quizengine.api.testing.StoreFixtures;
import org.quizengine.shared.match.QuestionSpec;

@ExtendWith(VertxExtension.class)
class QuestionRepositoryTest {
    /** A 12-question bank in two categories, small enough to count by hand. */
    private static final String FIXTURE = "/questions/fixture-bank.json";
    @TempDir
    static Path dataDir;
    private static Vertx vertx;
    private static Stores stores;
    private static Pool pool;

    private QuestionBankSeeder seeder;
    private QuestionRepository questions;

    /** The extension closes this Vert.x after the class. */
    @BeforeAll
    static void start(Vertx classVertx) {
        vertx = classVertx;
        stores = StoreFixtures.start(vertx, dataDir);
        pool = stores.pool();
    }

    @AfterAll
    static void stop() {
        await(stores.close());
    }

    @BeforeEach
    void emptyBank() {
        await(pool.query("TRUNCATE questions, categories RESTART IDENTITY CASCADE").execute());
        seeder = new QuestionBankSeeder(vertx, FIXTURE);
        questions = new QuestionRepository(pool);
    }

    @Test
    void seedsOnceAndOnlyOnce() {
        assertThat(await(seeder.seedIfEmpty(pool))).isEqualTo(12);
        assertThat(await(seeder.seedIfEmpty(pool))).isZero();
        assertThat(await(questions.loadActive())).hasSize(12);
    }

    @Test
    void nodesSeedingAtTheSameTimeInsertTheBankOnce(VertxTestContext test) {
        List<Future<Integer>> seeds = List.of(seeder.seedIfEmpty(pool), new QuestionBankSeeder(vertx, FIXTURE).seedIfEmpty(pool),
            new QuestionBankSeeder(vertx, FIXTURE).seedIfEmpty(pool));

        Future.all(seeds)
            .compose(all -> questions.loadActive())
            .onComplete(test.succeeding(loaded -> test.verify(() -> {
                assertThat(seeds).extracting(Future::result).containsExactlyInAnyOrder(12, 0, 0);
                assertThat(loaded).hasSize(12);
                test.completeNow();
            })));
    }

    @Test
    void loadsQuestionsAsTheBankDescribesThem() {
        await(seeder.seedIfEmpty(pool));
        List<QuestionSpec> all = await(questions.loadActive());
        QuestionSpec canberra = all.stream().filter(q -> q.text().equals("What is the capital of Australia?"))
            .findFirst().orElseThrow();
        assertThat(canberra.category()).isEqualTo("geography");
        assertThat(canberra.difficulty()).isEqualTo("hard");
        assertThat(canberra.options()).containsExactly("Sydney", "Melbourne", "Canberra", "Perth");
        assertThat(canberra.options().get(canberra.correctOption())).isEqualTo("Canberra");
        assertThat(canberra.questionId()).isPositive();
        assertThat(all).extracting(QuestionSpec::questionId).doesNotHaveDuplicates();
    }

    @Test
    void leavesOutInactiveQuestionsAndCategories() {
        await(seeder.seedIfEmpty(pool));
        assertThat(await(questions.categories())).containsExactly(
            new Category("geography", "Geography", 6), new Category("science", "Science", 6));

        await(pool.query("UPDATE questions SET active = false WHERE text = 'Which particle has no electric charge?'").execute());
        await(pool.query("UPDATE categories SET active = false WHERE id = 'geography'").execute());

        assertThat(await(questions.categories())).containsExactly(new Category("science", "Science", 5));
        List<QuestionSpec> active = await(questions.loadActive());
        assertThat(active).hasSize(5).allSatisfy(q -> assertThat(q.category()).isEqualTo("science"));
    }

    @Test
    void aBadBankFailsAndInsertsNothing() {
        Throwable failure = failureOf(new QuestionBankSeeder(vertx, "/questions/bad-bank.json").seedIfEmpty(pool));
        assertThat(failure).hasMessageContaining("unknown category history");
        assertThat(await(questions.categories())).isEmpty();

        assertThat(failureOf(new QuestionBankSeeder(vertx, "/questions/missing.json").seedIfEmpty(pool)))
            .hasMessageContaining("/questions/missing.json");
        // A later start with a good bank still seeds.
        assertThat(await(seeder.seedIfEmpty(pool))).isEqualTo(12);
    }
}
