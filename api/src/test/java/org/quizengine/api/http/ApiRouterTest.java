package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.AuthApiTest.assertProblem;
import static org.quizengine.api.http.TestNode.uniqueName;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.auth.Authentication;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/** The cross-cutting parts of the REST surface: headers, unknown routes, health. */
@ExtendWith(VertxExtension.class)
class ApiRouterTest {
    @TempDir
    static Path dataDir;
    static TestNode node;
    static String token;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.start(vertx, dataDir);
        mountFeatures(vertx, node.api);
        String username = uniqueName("headers");
        token = node.register(username, username + "@example.com", "long enough password").getString("accessToken");
    }

    @AfterAll
    static void stop() {
        node.stop();
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        List<HttpResponse<Buffer>> responses = List.of(
            node.get("/api/v1/me", token),
            node.get("/api/v1/me", null),
            node.postJson("/api/v1/auth/login", new JsonObject()),
            node.get("/no/such/page", null),
            node.get("/health/live", null),
            node.get("/health/ready", null));

        for (HttpResponse<Buffer> response : responses) {
            assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void anUnknownPathGetsAProblemResponse() {
        assertProblem(node.get("/no/such/page", null), 404, "NOT_FOUND");
        assertProblem(node.get("/api/v2/me", null), 404, "NOT_FOUND");
        assertProblem(node.get("/api/v1/no-such-thing", token), 404, "NOT_FOUND");
        assertProblem(node.get("/api/v1/auth/no-such-thing", token), 404, "NOT_FOUND");
    }

    @Test
    void unknownApiPathsAreNotFoundForAnyone() {
        // The paths are published in /openapi.yaml, so a 404 tells an anonymous client nothing new.
        assertProblem(node.get("/api/v1/no-such-thing", null), 404, "NOT_FOUND");
    }

    @Test
    void aRouteTheDocumentDoesNotDescribeIsNotReachable() {
        node.api.protectedRouter().get("/undocumented").handler(ctx -> ctx.end("should not be reachable"));

        assertProblem(node.get("/api/v1/undocumented", token), 404, "NOT_FOUND");
    }

    @Test
    void aWrongMethodGetsAProblemResponse() {
        HttpResponse<Buffer> signedIn = await(node.client.get("/api/v1/auth/login").bearerTokenAuthentication(token).send());
        HttpResponse<Buffer> outsideTheApi = await(node.client.delete("/health/live").send());

        assertProblem(signedIn, 405, "METHOD_NOT_ALLOWED");
        assertThat(signedIn.getHeader("Allow")).isEqualTo("POST");
        assertThat(outsideTheApi.statusCode()).isIn(404, 405);
        assertThat(outsideTheApi.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
    }

    @Test
    void aFeatureMountedPublicAfterStartUpIsReachableWithoutAToken() {
        HttpResponse<Buffer> response = node.get("/api/v1/public-feature/hello", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo("hello, anyone");
        assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void aProtectedFeatureSeesTheSignedInUser() {
        assertProblem(node.get("/api/v1/protected-feature/hello", null), 401, "UNAUTHORIZED");
        assertThat(node.get("/api/v1/protected-feature/hello", token).bodyAsString()).startsWith("hello, headers-");
    }

    @Test
    void failuresInFeatureRoutersWithoutTheirOwnHandlerStillBecomeProblems() {
        assertProblem(node.get("/api/v1/public-feature/missing", null), 404, "NOT_FOUND");
        assertProblem(node.get("/api/v1/protected-feature/missing", token), 404, "NOT_FOUND");
        HttpResponse<Buffer> crash = node.get("/api/v1/public-feature/crash", null);
        assertProblem(crash, 500, "INTERNAL_ERROR");
        assertThat(crash.bodyAsString()).doesNotContain("secret internals");
    }

    @Test
    void aStoreThatCannotBeReachedIsServiceUnavailableWithRetryAfterNotAnInternalError() {
        HttpResponse<Buffer> response = node.get("/api/v1/public-feature/store-down", null);

        assertProblem(response, 503, "SERVICE_UNAVAILABLE");
        assertThat(response.getHeader("Retry-After")).isEqualTo(Integer.toString(Problems.RETRY_AFTER_SECONDS));
        assertThat(response.bodyAsString()).doesNotContain("5432");
    }

    /** What feature modules do: their own routers, without failure handlers of their own. */
    private static void mountFeatures(Vertx vertx, ApiRouter api) {
        Router publicFeature = Router.router(vertx);
        publicFeature.get("/hello").handler(ctx -> ctx.end("hello, anyone"));
        publicFeature.get("/missing").handler(ctx -> ctx.fail(new QuizException(ErrorCode.NOT_FOUND, "Not here.")));
        publicFeature.get("/crash").handler(ctx -> {
            throw new IllegalStateException("secret internals");
        });
        // As the PostgreSQL client fails while the database refuses connections.
        publicFeature.get("/store-down").handler(ctx -> ctx.fail(new ConnectException("Connection refused: /127.0.0.1:5432")));
        api.mountPublic("/public-feature", publicFeature);

        Router protectedFeature = Router.router(vertx);
        protectedFeature.get("/hello").handler(ctx -> ctx.end("hello, " + Authentication.current(ctx).username()));
        protectedFeature.get("/missing").handler(ctx -> ctx.fail(new QuizException(ErrorCode.NOT_FOUND, "Not here.")));
        api.mountProtected("/protected-feature", protectedFeature);
    }

    @Test
    void livenessAlwaysAnswers() {
        HttpResponse<Buffer> response = node.get("/health/live", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    }

    @Test
    void readinessIsUpWhenBothStoresAnswer() {
        HttpResponse<Buffer> response = node.get("/health/ready", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("status")).isEqualTo("UP");
        assertThat(body.getJsonArray("checks").stream().map(check -> ((JsonObject) check).getString("id")))
            .containsExactlyInAnyOrder("postgres", "redis");
    }
}
