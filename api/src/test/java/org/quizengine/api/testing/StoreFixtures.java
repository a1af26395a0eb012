package org.quizengine.api.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.quizengine.api.storage.StorageOptions;
import org.quizengine.api.storage.Stores;

/** Helpers for tests that talk to real embedded PostgreSQL and Redis. */
public final class StoreFixtures {
    private static final long TIMEOUT_SECONDS = 60;

    private StoreFixtures() {
    }

    /** Both stores embedded under {@code dataDir}. */
    public static Stores start(Vertx vertx, Path dataDir) {
        return await(Stores.start(vertx, StorageOptions.embedded(dataDir)));
    }

    /**
     * Waits for {@code future} on the test thread (never an event loop) and returns its result, or
     * rethrows its failure unchanged so tests can assert on it.
     */
    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError("Future failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Future did not complete within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** The failure of a future that must fail. */
    public static Throwable failureOf(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("Future did not fail in time", e);
        }
        throw new AssertionError("Expected the future to fail, but it succeeded");
    }

    /** A user row, inserted directly: user registration belongs to another part of the API. */
    public static UUID insertUser(Pool pool, String username) {
        UUID id = UUID.randomUUID();
        await(pool.preparedQuery("INSERT INTO users (id, username, email, password_hash) VALUES ($1, $2, $3, 'x')")
            .execute(Tuple.of(id, username, username + "@example.test")));
        return id;
    }
}
