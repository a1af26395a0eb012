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
            HttpResponse<Buffer> up = node.get("/health/ready", null);
            assertThat(up.statusCode()).isEqualTo(200);
            // Exactly the members openapi.yaml's Health declares.
            JsonObject ready = up.bodyAsJsonObject();
            assertThat(ready.fieldNames()).containsExactlyInAnyOrder("status", "checks", "outcome");
            assertThat(ready.getString("outcome")).isEqualTo("UP");
            assertThat(ready.getJsonArray("checks")).containsExactlyInAnyOrder(
                new JsonObject().put("id", "postgres").put("status", "UP"),
                new JsonObject().put("id", "redis").put("status", "UP"));

            await(node.stores.close());
            HttpResponse<Buffer> down = node.get("/health/ready", null);

            assertThat(down.statusCode()).isEqualTo(503);
            JsonObject body = down.bodyAsJsonObject();
            assertThat(body.fieldNames()).containsExactlyInAnyOrder("status", "checks", "outcome");
            assertThat(body.getString("status")).isEqualTo("DOWN");
            assertThat(body.getString("outcome")).isEqualTo("DOWN");
            assertThat(body.getJsonArray("checks").stream()
                .map(check -> (JsonObject) check)
                .filter(check -> "DOWN".equals(check.getString("status")))
                .map(check -> check.getString("id")))
                .containsExactlyInAnyOrder("postgres", "redis");
            assertThat(body.getJsonArray("checks")).containsExactlyInAnyOrder(
                new JsonObject().put("id", "postgres").put("status", "DOWN")
                    .put("data", new JsonObject().put("reason", "postgres did not answer")),
                new JsonObject().put("id", "redis").put("status", "DOWN")
                    .put("data", new JsonObject().put("reason", "redis did not answer")));
            assertThat(node.get("/health/live", null).bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
        } finally {
            node.client.close();
            await(node.server.close());
            await(node.hasher.close());
        }
    }
}
