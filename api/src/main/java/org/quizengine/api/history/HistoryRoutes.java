package org.quizengine.api.history;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.http.Responses;

/**
 * Match history over REST (behind authentication):
 * {@code GET /me/matches?cursor=&limit=} (newest first, keyset-paged) and {@code GET /matches/:matchId}.
 */
public final class HistoryRoutes {
    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 100;

    private final HistoryRepository history;

    public HistoryRoutes(HistoryRepository history) {
        this.history = history;
    }

    public void mount(Router router) {
        router.get("/me/matches").handler(this::myMatches);
        router.get("/matches/:matchId").handler(this::match);
    }

    private void myMatches(RoutingContext ctx) {
        int limit = Responses.intParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        String cursor = ctx.request().getParam("cursor");
        history.history(Authentication.current(ctx).userId(), cursor == null || cursor.isBlank() ? null : cursor, limit)
            .onSuccess(page -> Responses.json(ctx, 200, page))
            .onFailure(ctx::fail);
    }

    private void match(RoutingContext ctx) {
        history.matchDetail(Responses.uuidPath(ctx, "matchId", "No such match."))
            .onSuccess(detail -> Responses.json(ctx, 200, detail))
            .onFailure(ctx::fail);
    }
}
