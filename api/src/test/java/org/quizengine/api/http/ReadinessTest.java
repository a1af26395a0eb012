package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Readiness follows the stores: a node whose databases are gone must say so with 503. */
@ExtendWith(VertxExtension.class)
class ReadinessTest {
    @TempDir
    Path dataDir;

    @Test
    void readinessDropsTo503NamingTheChecksWhenTheStoresGoAway(Vertx vertx) {
        TestNode node = TestNode.start(vertx, dataDir);
        try {
            assertThat(node.get("/health/ready", null).statusCode()).isEqualTo(200);

            await(node.stores.close());
            HttpResponse<Buffer> down = node.get("/health/ready", null);

            assertThat(down.statusCode()).isEqualTo(503);
            JsonObject body = down.bodyAsJsonObject();
            assertThat(body.getString("status")).isEqualTo("DOWN");
            assertThat(body.getJsonArray("checks").stream()
                .map(check -> (JsonObject) check)
                .filter(check -> "DOWN".equals(check.getString("status")))
                .map(check -> check.getString("id")))
                .containsExactlyInAnyOrder("postgres", "redis");
            assertThat(node.get("/health/live", null).statusCode()).isEqualTo(200);
        } finally {
            node.client.close();
            await(node.server.close());
            await(node.hasher.close());
        }
    }
}
