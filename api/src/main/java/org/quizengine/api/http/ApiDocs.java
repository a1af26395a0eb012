package org.quizengine.api.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * {@code GET /openapi.yaml}, the API's description as written, and {@code /docs/}, a page that
 * renders it (Swagger UI, from its webjar on the class path). Both are public: they describe the
 * API, not anyone's data.
 */
final class ApiDocs {
    static final String DOCUMENT_PATH = "/openapi.yaml";
    static final String PAGE_PATH = "/docs/";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    // Swagger UI styles itself inline; everything else comes from this server.
    private static final String PAGE_POLICY =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; frame-ancestors 'none'";

    private final ApiContract contract;

    ApiDocs(ApiContract contract) {
        this.contract = contract;
    }

    void mount(Router root) {
        root.get(DOCUMENT_PATH).handler(this::document);
        // Vert.x matches "/docs" for "/docs/" too; only the bare path is sent on.
        root.get("/docs").handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                ctx.next();
            } else {
                ctx.redirect(PAGE_PATH);
            }
        });
        root.route(PAGE_PATH + "*").handler(ApiDocs::pagePolicy);
        root.get(PAGE_PATH + "ui/*").handler(StaticHandler.create(WEBJAR + swaggerUiVersion()).setCachingEnabled(true));
        root.get(PAGE_PATH + "*").handler(StaticHandler.create("docs").setIndexPage("index.html"));
    }

    private void document(RoutingContext ctx) {
        ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml; charset=utf-8")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
            .end(contract.document());
    }

    private static void pagePolicy(RoutingContext ctx) {
        ctx.response().headers()
            .set("Content-Security-Policy", PAGE_POLICY)
            .set(HttpHeaders.CACHE_CONTROL, "no-cache");
        ctx.next();
    }

    private static String swaggerUiVersion() {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("The swagger-ui webjar is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
