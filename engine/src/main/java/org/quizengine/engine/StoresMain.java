package org.quizengine.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.quizengine.api.question.QuestionBankSeeder;
import org.quizengine.api.storage.StorageOptions;
import org.quizengine.api.storage.Stores;
import org.quizengine.engine.config.ConfigException;
import org.quizengine.engine.config.ConfigLoader;
import org.quizengine.engine.config.NodeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs only the stores: the embedded PostgreSQL and Redis of one data directory, migrated and with
 * the question bank seeded, until SIGTERM. Nodes started with the URIs it prints share them, so a
 * local cluster (or a test) has one database that outlives any node, even one killed with SIGKILL.
 *
 * <p>{@code java -cp engine/target/quiz-node.jar org.quizengine.engine.StoresMain}; configured like a
 * node ({@code QUIZ_STORAGE_*}). Once ready it prints, and writes to {@code <dataDir>/stores.env}:
 * <pre>
 * QUIZ_STORAGE_POSTGRES_URI=postgresql://...
 * QUIZ_STORAGE_REDIS_URI=redis://...
 * </pre>
 */
public final class StoresMain {
    public static final String ENV_FILE = "stores.env";
    public static final String POSTGRES_URI_VARIABLE = ConfigLoader.variableFor("storage", "postgresUri");
    public static final String REDIS_URI_VARIABLE = ConfigLoader.variableFor("storage", "redisUri");

    private static final Logger LOG = LoggerFactory.getLogger(StoresMain.class);

    private StoresMain() {
    }

    /** The stores' settings from the environment, as a node reads them; a bad one ends the process with status 2. */
    static StorageOptions storageOrExit() {
        LogSettings.checkOrExit();
        try {
            return NodeOptions.storageFrom(ConfigLoader.load(System.getenv()));
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            throw new IllegalStateException("unreachable", e);
        }
    }

    public static void main(String[] args) {
        StorageOptions options = storageOrExit();
        Path envFile = options.dataDir().resolve(ENV_FILE);
        Vertx vertx = Vertx.vertx();
        // A file left by an earlier run names ports that are gone; whoever waits for it must wait for ours.
        vertx.executeBlocking(() -> Files.deleteIfExists(envFile))
            .compose(deleted -> Stores.start(vertx, options))
            .compose(stores -> seed(vertx, stores))
            .compose(stores -> announce(vertx, stores, envFile).map(stores))
            .onSuccess(stores -> Runtime.getRuntime().addShutdownHook(
                new Thread(() -> awaitClose(vertx, stores, envFile), "quiz-stores-shutdown")))
            .onFailure(e -> {
                LOG.error("The stores could not start: {}", e.getMessage(), e);
                vertx.close();
                System.exit(1);
            });
    }

    private static Future<Stores> seed(Vertx vertx, Stores stores) {
        return new QuestionBankSeeder(vertx).seedIfEmpty(stores.pool())
            .map(stores)
            .recover(e -> stores.close().transform(closed -> Future.failedFuture(e)));
    }

    /** The file first (written whole, then renamed, so a reader never sees half of it), then stdout. */
    private static Future<Void> announce(Vertx vertx, Stores stores, Path envFile) {
        List<String> lines = List.of(POSTGRES_URI_VARIABLE + "=" + stores.postgresUri(),
            REDIS_URI_VARIABLE + "=" + stores.redisUri());
        return vertx.executeBlocking(() -> {
            Files.createDirectories(envFile.toAbsolutePath().getParent());
            Path partial = envFile.resolveSibling(ENV_FILE + ".partial");
            Files.write(partial, lines, StandardCharsets.UTF_8);
            Files.move(partial, envFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            lines.forEach(System.out::println);
            System.out.flush();
            LOG.info("Stores ready for other nodes; their URIs are in {}", envFile);
            return null;
        });
    }

    private static void awaitClose(Vertx vertx, Stores stores, Path envFile) {
        try {
            Files.deleteIfExists(envFile);
        } catch (IOException e) {
            LOG.warn("Could not remove {}", envFile, e);
        }
        try {
            stores.close().eventually(vertx::close).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The stores did not close cleanly", e);
        }
    }
}
