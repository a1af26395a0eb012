package org.quizengine.engine.support;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.util.Map;
import org.quizengine.api.question.QuestionBankSeeder;
import org.quizengine.api.storage.StorageOptions;
import org.quizengine.api.storage.Stores;

/**
 * One real PostgreSQL and Redis for a test cluster, outside every node, as in a deployment: a node
 * that drains or dies must not take the database with it.
 */
public final class SharedStores implements AutoCloseable {
    private final Vertx vertx;
    private final Stores stores;

    private SharedStores(Vertx vertx, Stores stores) {
        this.vertx = vertx;
        this.stores = stores;
    }

    public static SharedStores start() {
        try {
            Vertx vertx = Vertx.vertx();
            Stores stores = TestPlayer.await(Stores.start(vertx,
                StorageOptions.embedded(Files.createTempDirectory("quiz-shared-stores"))));
            TestPlayer.await(new QuestionBankSeeder(vertx).seedIfEmpty(stores.pool()));
            return new SharedStores(vertx, stores);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The variables that point a node at these stores. */
    public Map<String, String> env() {
        return Map.of("QUIZ_STORAGE_POSTGRES_URI", stores.postgresUri(), "QUIZ_STORAGE_REDIS_URI", stores.redisUri());
    }

    /** The stores themselves: their pool and Redis, for a test that writes or wipes them behind the nodes' backs. */
    public Stores stores() {
        return stores;
    }

    @Override
    public void close() {
        TestPlayer.await(stores.close());
        TestPlayer.await(vertx.close());
    }
}
