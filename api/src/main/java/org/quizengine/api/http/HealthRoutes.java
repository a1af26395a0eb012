package org.quizengine.api.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import org.quizengine.api.storage.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health/live}: the process serves HTTP. {@code GET /health/ready}: PostgreSQL and
 * Redis both answer, so the node can take traffic; otherwise 503 naming the check that failed.
 *
 * <p>The checks are vertx-health-check procedures, but the response is written here: its
 * {@code HealthCheckHandler} answers 500 instead of 503 when a check times out or fails with an
 * exception, and load balancers read any non-503 error as "broken", not "not ready".
 */
public final class HealthRoutes {
    public static final String MOUNT_PATH = "/health";
    public static final long CHECK_TIMEOUT_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);

    private final HealthChecks readiness;
    private final Router router;

    public HealthRoutes(Vertx vertx, Stores stores) {
        this.readiness = HealthChecks.create(vertx)
            .register("postgres", CHECK_TIMEOUT_MS, ping("postgres", stores::pingPostgres))
            .register("redis", CHECK_TIMEOUT_MS, ping("redis", stores::pingRedis));
        this.router = Router.router(vertx);
        router.get("/live").handler(HealthRoutes::live);
        router.get("/ready").handler(this::ready);
        router.route().failureHandler(Problems::handleFailure);
    }

    /** Adds a readiness check: the node is ready only while {@code check} succeeds too. */
    public HealthRoutes withCheck(String name, Supplier<Future<Void>> check) {
        readiness.register(name, CHECK_TIMEOUT_MS, ping(name, check));
        return this;
    }

    /** The routes, for mounting at {@link #MOUNT_PATH}. */
    public Router router() {
        return router;
    }

    /** The current readiness: UP only if every store answers. */
    public Future<CheckResult> checkReadiness() {
        return readiness.checkStatus();
    }

    private static void live(RoutingContext ctx) {
        sendJson(ctx, 200, new JsonObject().put("status", "UP"));
    }

    private void ready(RoutingContext ctx) {
        checkReadiness().onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            CheckResult check = result.result();
            sendJson(ctx, CheckResult.isUp(check) ? 200 : 503, check.toJson());
        });
    }

    private static io.vertx.core.Handler<Promise<Status>> ping(String name, Supplier<Future<Void>> ping) {
        return promise -> ping.get().onComplete(result -> {
            if (result.succeeded()) {
                promise.tryComplete(Status.OK());
                return;
            }
            // The body is public: say what is down, keep the why in the log. Probes repeat every few
            // seconds, so one line each, no stack trace.
            LOG.warn("Readiness check '{}' failed: {}", name, result.cause().toString());
            promise.tryComplete(Status.KO(new JsonObject().put("reason", name + " did not answer")));
        });
    }

    private static void sendJson(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
            .setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(body.encode());
    }
}
