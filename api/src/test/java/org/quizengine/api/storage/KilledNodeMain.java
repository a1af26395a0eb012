package org.quizengine.api.storage;

import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.quizengine.api.testing.StoreFixtures;

/**
 * A node that writes some data, says it is ready and waits to be killed; run in its own JVM by
 * {@link StoresTest}.
 */
public final class KilledNodeMain {
    static final String READY = "READY ";

    private KilledNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        Stores stores = StoreFixtures.start(vertx, Path.of(args[0]));
        UUID userId = StoreFixtures.insertUser(stores.pool(), "killed-node-user");
        await(stores.redis().set(List.of("lb:killed", "7")));
        System.out.println(READY + userId);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
