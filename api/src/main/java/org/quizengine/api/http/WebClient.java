package org.quizengine.api.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser client for players and lobby hosts: {@code GET /} is its page, {@code /app/*} its ES
 * modules and style sheet ({@code webroot/} on the class path, no build step). Everything comes
 * from this node, so the policy allows scripts, styles and connections to 'self' only; no inline
 * script or style runs. {@code no-cache} with {@code Last-Modified} makes a browser check each file
 * on every load (a 304 when unchanged), so a new release reaches players at their next reload.
 */
final class WebClient {
    static final String PAGE_PATH = "/";
    static final String ASSETS_PATH = "/app/";
    static final String POLICY =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private WebClient() {
    }

    static void mount(Router root) {
        StaticHandler files = StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(true);
        root.get(PAGE_PATH).handler(WebClient::policy).handler(files);
        root.get(ASSETS_PATH + "*").handler(WebClient::policy).handler(StaticHandler.create("webroot/app")
            .setCachingEnabled(true));
    }

    private static void policy(RoutingContext ctx) {
        ctx.response().headers().set("Content-Security-Policy", POLICY);
        // The static handler writes a long max-age when caching is on; the release must win at once.
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache"));
        ctx.next();
    }
}
