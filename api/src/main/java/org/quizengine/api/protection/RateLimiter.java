package org.quizengine.api.protection;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.RedisAPI;
import java.util.Objects;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.TokenService;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests per window for every API request, counted in Redis so the limit holds across the cluster
 * whichever node a request lands on. A request with a valid bearer token counts against its user
 * (wherever it comes from); any other counts against its {@link ClientAddress}. Every counted
 * response carries {@code RateLimit-Limit/Remaining/Reset} (and the same as {@code X-RateLimit-*}
 * for older clients); one over the limit is refused with 429 RATE_LIMITED and {@code Retry-After}.
 *
 * <p>The token is verified here as well as by {@code Authentication} later: only a token we signed
 * can choose the user counter, so made-up tokens cannot spread requests over many counters. When
 * Redis does not answer, requests go through ({@link FailOpen}).
 */
public final class RateLimiter implements Handler<RoutingContext> {
    static final String KEY_PREFIX = "quiz:rate:";
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    private final WindowCounters counters;
    private final TokenService tokens;
    private final RateLimitOptions options;
    private final FailOpen failOpen = new FailOpen(LOG, "Rate limits");

    public RateLimiter(RedisAPI redis, TokenService tokens, RateLimitOptions options) {
        this.counters = new WindowCounters(redis);
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void handle(RoutingContext ctx) {
        subject(ctx).onComplete(found -> {
            Subject subject = found.result();
            if (subject.limit() == 0) {
                ctx.next();
                return;
            }
            counters.hit(subject.key(), options.window()).onComplete(counted -> {
                if (counted.failed()) {
                    failOpen.report(counted.cause());
                    ctx.next();
                    return;
                }
                enforce(ctx, subject, counted.result());
            });
        });
    }

    private void enforce(RoutingContext ctx, Subject subject, WindowCounters.Hit hit) {
        long secondsLeft = hit.secondsLeft();
        long remaining = Math.max(0, subject.limit() - hit.count());
        MultiMap headers = ctx.response().headers();
        for (String prefix : new String[] {"", "X-"}) {
            headers.set(prefix + "RateLimit-Limit", Long.toString(subject.limit()))
                .set(prefix + "RateLimit-Remaining", Long.toString(remaining))
                .set(prefix + "RateLimit-Reset", Long.toString(secondsLeft));
        }
        if (hit.count() <= subject.limit()) {
            ctx.next();
            return;
        }
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(secondsLeft));
        ctx.fail(new QuizException(ErrorCode.RATE_LIMITED, "Too many requests; at most " + subject.limit()
            + " per " + options.window().toSeconds() + " s " + subject.per() + ". Try again in " + secondsLeft + " s."));
    }

    /** Whom to count this request against; never fails. */
    private Future<Subject> subject(RoutingContext ctx) {
        Subject anonymous = new Subject(KEY_PREFIX + "address:" + ClientAddress.of(ctx), options.anonymousPerWindow(),
            "from one address");
        String token = Authentication.bearerToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            return Future.succeededFuture(anonymous);
        }
        return tokens.verify(token).transform(verified -> Future.succeededFuture(verified.succeeded()
            ? new Subject(KEY_PREFIX + "user:" + verified.result().userId(), options.userPerWindow(), "per user")
            : anonymous));
    }

    private record Subject(String key, int limit, String per) {
    }
}
