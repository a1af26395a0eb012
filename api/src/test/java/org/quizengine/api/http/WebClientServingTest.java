package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.shared.ErrorCode;

/**
 * The web client's files as a browser gets them: from this node only, under a policy that runs no
 * inline script or style, and checked again on every load so a new release reaches players at once.
 * (The client itself is played in a browser by the engine's WebClientTest.)
 */
@ExtendWith(VertxExtension.class)
class WebClientServingTest {
    @TempDir
    static Path dataDir;
    static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.start(vertx, dataDir);
    }

    @AfterAll
    static void stop() {
        node.stop();
    }

    @Test
    void thePageLoadsItsOwnModulesUnderAStrictPolicy() {
        HttpResponse<Buffer> page = node.get("/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.getHeader("Content-Type")).startsWith("text/html");
        assertThat(page.bodyAsString()).contains("<script type=\"module\" src=\"/app/main.js\"></script>")
            .doesNotContain("<script>").doesNotContain("style=").doesNotContain("http://").doesNotContain("https://");
        assertThat(page.getHeader("Content-Security-Policy"))
            .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
            .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        for (String file : new String[] {"main.js", "api.js", "socket.js", "pages.js", "errors.js", "dom.js"}) {
            HttpResponse<Buffer> module = node.get("/app/" + file, null);
            assertThat(module.statusCode()).as(file).isEqualTo(200);
            assertThat(module.getHeader("Content-Type")).as(file).contains("javascript");
        }
        assertThat(node.get("/app/app.css", null).getHeader("Content-Type")).startsWith("text/css");
        assertThat(node.get("/app/missing.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void everyErrorCodeReadsAsASentence() {
        String errors = node.get("/app/errors.js", null).bodyAsString();

        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::name).filter(code -> !errors.contains("  " + code + ": \"")))
            .as("codes without a sentence in errors.js").isEmpty();
    }

    @Test
    void aBrowserChecksEveryFileAgainOnEachLoad() {
        HttpResponse<Buffer> first = node.get("/app/main.js", null);
        assertThat(first.getHeader("Cache-Control")).isEqualTo("no-cache");
        String lastModified = first.getHeader("Last-Modified");
        assertThat(lastModified).isNotBlank();

        HttpResponse<Buffer> again = await(node.client.get("/app/main.js")
            .putHeader("If-Modified-Since", lastModified).send());

        assertThat(again.statusCode()).as("unchanged since the browser's copy").isEqualTo(304);
        assertThat(again.getHeader("Cache-Control")).isEqualTo("no-cache");
        assertThat(node.get("/", null).getHeader("Cache-Control")).isEqualTo("no-cache");
    }
}
