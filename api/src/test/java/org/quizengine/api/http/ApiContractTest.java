package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.AuthApiTest.assertProblem;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI document: served, browsable, well-formed, and enforced in front of the routes. */
@ExtendWith(VertxExtension.class)
class ApiContractTest {
    @TempDir
    static Path dataDir;
    static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.start(vertx, dataDir);
        Router hello = Router.router(vertx);
        hello.get("/hello").handler(ctx -> ctx.end("hello x" + ctx.request().getParam("times", "1")));
        node.api.mountPublic("/public-feature", hello);
    }

    @AfterAll
    static void stop() {
        node.stop();
    }

    @Test
    void theDocumentIsServedToAnyoneAsYaml() {
        HttpResponse<Buffer> response = node.get("/openapi.yaml", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("application/yaml");
        Map<String, Object> document = new Yaml().load(response.bodyAsString());
        assertThat(document.get("openapi")).isEqualTo("3.0.3");
        assertThat((Map<String, Object>) document.get("paths")).containsKeys(
            "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/me", "/api/v1/leaderboards/{board}");
        // The document as written, not the copy with test routes the gate uses here.
        assertThat((Map<String, Object>) document.get("paths")).doesNotContainKey("/api/v1/test/admin-only");
    }

    @Test
    void theDocsPageRendersTheDocumentWithItsOwnScriptsOnly() {
        HttpResponse<Buffer> bare = node.get("/docs", null);
        HttpResponse<Buffer> page = node.get("/docs/", null);
        HttpResponse<Buffer> bundle = node.get("/docs/ui/swagger-ui-bundle.js", null);
        HttpResponse<Buffer> init = node.get("/docs/init.js", null);

        assertThat(bare.bodyAsString()).as("/docs is sent on to /docs/").isEqualTo(page.bodyAsString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.bodyAsString()).contains("ui/swagger-ui-bundle.js", "init.js").doesNotContain("<script>");
        assertThat(page.getHeader("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-eval");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body().length()).isGreaterThan(100_000);
        assertThat(init.bodyAsString()).contains("/openapi.yaml");
    }

    @Test
    void everyOperationIsDescribedWellEnoughToCallIt() {
        ApiContract contract = await(ApiContract.load(node.vertx));
        List<String> problems = new ArrayList<>();
        for (Operation operation : contract.operations()) {
            String name = operation.getHttpMethod() + " " + operation.getOpenAPIPath();
            JsonObject model = operation.getOpenAPIModel();
            if (model.getString("summary") == null) {
                problems.add(name + ": no summary");
            }
            if (model.getJsonArray("tags") == null || model.getJsonArray("tags").isEmpty()) {
                problems.add(name + ": no tag");
            }
            JsonObject responses = model.getJsonObject("responses");
            if (responses.fieldNames().stream().noneMatch(code -> code.startsWith("2"))) {
                problems.add(name + ": no success response");
            }
            boolean api = operation.getOpenAPIPath().startsWith(ApiRouter.API_PREFIX + "/");
            if (api && !responses.containsKey("default")) {
                problems.add(name + ": no default (problem) response");
            }
            if (api && contract.needsToken(operation) && !responses.containsKey("401")) {
                problems.add(name + ": needs a token but does not document 401");
            }
            JsonObject body = model.getJsonObject("requestBody");
            // Media types are objects; the resolved document also holds bookkeeping strings.
            if (body != null && body.getJsonObject("content").stream()
                .anyMatch(type -> type.getValue() instanceof JsonObject media && media.getValue("example") == null)) {
                problems.add(name + ": a request body without an example");
            }
            if (ApiContract.requiredRole(operation) != null && !responses.containsKey("403")) {
                problems.add(name + ": needs a role but does not document 403");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void signingInNeedsNoAccessToken() {
        ApiContract contract = await(ApiContract.load(node.vertx));
        for (Operation operation : contract.operations()) {
            if (List.of("/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh")
                .contains(operation.getOpenAPIPath())) {
                assertThat(contract.needsToken(operation)).as(operation.getOpenAPIPath()).isFalse();
            }
        }
        // And so the gate checks a refresh request itself.
        HttpResponse<Buffer> refresh = node.postJson("/api/v1/auth/refresh", new JsonObject().put("refreshToken", 42));
        assertProblem(refresh, 422, "VALIDATION_FAILED");
        assertThat(refresh.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
            .isEqualTo("refreshToken");
    }

    @Test
    void aQueryParameterOutsideItsSchemaIsRefusedNamingIt() {
        assertThat(node.get("/api/v1/public-feature/hello?times=3", null).bodyAsString()).isEqualTo("hello x3");

        for (String bad : List.of("0", "11", "three", "2.5")) {
            HttpResponse<Buffer> response = node.get("/api/v1/public-feature/hello?times=" + bad, null);

            assertProblem(response, 422, "VALIDATION_FAILED");
            assertThat(response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
                .as("for times=%s", bad).isEqualTo("times");
        }
    }

    @Test
    void dotSegmentsAreResolvedBeforeTheCheckAsTheyAreForRouting() {
        // The router serves these as /public-feature/hello, so the gate checks them as that.
        for (String path : List.of("/api/v1/public-feature/x/../hello", "/api/v1/public-feature/x/%2e%2e/hello",
            "/api/v1/public-feature/./hello")) {
            assertProblem(node.get(path + "?times=abc", null), 422, "VALIDATION_FAILED");
            assertThat(node.get(path + "?times=2", null).bodyAsString()).as(path).isEqualTo("hello x2");
        }
    }

    @Test
    void aSignedInOperationIsCheckedOnlyAfterTheToken() {
        // A stranger gets 401, not a validation error that would describe the operation.
        assertProblem(node.get("/api/v1/test/admin-only", null), 401, "UNAUTHORIZED");
    }
}
