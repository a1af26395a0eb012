package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quizengine.api.http.ApiContract;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * The OpenAPI document and a real node agree: every operation it describes is served by a route
 * (nothing documented is missing), and the node answers nothing it does not describe. The node runs
 * two event loops, each with an HTTP server, and every call is made on a new connection (Vert.x hands
 * accepted connections to the servers in turn), so each operation is answered on both loops: a route
 * whose answer comes back on another loop than its request's would fail there (the server writes
 * only from a connection's own loop) and its request would get no answer.
 */
class DocumentedApiTest {
    private static final String ADMIN_PASSWORD = "an admin password for the documented api test";

    @Test
    void everyDocumentedOperationReachesAHandlerOnARealNode() {
        String admin = "docadmin" + Long.toString(System.nanoTime() % 100_000);
        Map<String, String> env = new HashMap<>(TestNode.fastMatches());
        env.put("QUIZ_AUTH_ADMIN_USERNAME", admin);
        env.put("QUIZ_AUTH_ADMIN_EMAIL", admin + "@example.test");
        env.put("QUIZ_AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        try (TestNode node = TestNode.start(env)) {
            ApiContract contract = TestPlayer.await(ApiContract.load(node.vertx));
            WebClient client = WebClient.create(node.vertx, new WebClientOptions().setKeepAlive(false));
            List<String> unrouted = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (Operation operation : contract.operations()) {
                // A fresh session each time: an operation such as logout may end the one it is called with
                // (then the second call is refused before it reaches a route).
                String token = TestPlayer.login(node.vertx, node.port(), admin, ADMIN_PASSWORD).token;
                // Two calls, two connections in a row: one to each loop's server.
                for (int round = 0; round < 2; round++) {
                    String route = operation.getHttpMethod() + " " + operation.getOpenAPIPath();
                    HttpResponse<Buffer> response;
                    try {
                        response = call(client, node.port(), operation, token);
                    } catch (AssertionError e) { // no answer: one written off its loop is never sent
                        failed.add(route + " -> no answer, round " + round);
                        continue;
                    }
                    if (response.statusCode() >= 500) {
                        failed.add(route + " -> " + response.statusCode());
                    }
                    // The gate answers 404 "There is no ..." and 405 for what the document lacks; the
                    // router answers "No such resource." when the document has it but no route does.
                    String detail = problemDetail(response);
                    if (response.statusCode() == 405 || "No such resource.".equals(detail)
                        || (detail != null && detail.startsWith("There is no "))) {
                        unrouted.add(route + " -> " + response.statusCode() + " " + detail);
                    }
                }
            }
            for (int round = 0; round < 2; round++) {
                HttpResponse<Buffer> scrape = TestPlayer.await(client.get(node.port(), "localhost", "/metrics").send());
                assertThat(scrape.statusCode()).as("/metrics, round " + round).isEqualTo(200);
            }
            client.close();
            assertThat(contract.operations()).hasSizeGreaterThan(10);
            assertThat(unrouted).isEmpty();
            assertThat(failed).isEmpty();
        }
    }

    private static HttpResponse<Buffer> call(WebClient client, int port, Operation operation, String token) {
        String path = operation.getOpenAPIPath()
            .replace("{board}", "all")
            .replace("{matchId}", UUID.randomUUID().toString())
            .replaceAll("\\{[^}]+}", "no-such-thing");
        HttpRequest<Buffer> request = client.request(operation.getHttpMethod(), port, "localhost", path)
            .bearerTokenAuthentication(token);
        if (operation.getRequestBody() != null) {
            // The document's own example, which passes the gate's validation and so reaches the route.
            Object example = operation.getRequestBody().getOpenAPIModel()
                .getJsonObject("content").getJsonObject("application/json").getValue("example");
            return TestPlayer.await(request.sendJson(example));
        }
        return TestPlayer.await(request.send());
    }

    private static String problemDetail(HttpResponse<Buffer> response) {
        String type = response.getHeader("Content-Type");
        return type != null && type.startsWith("application/problem+json")
            ? response.bodyAsJsonObject().getString("detail") : null;
    }
}
