package org.quizengine.api.leaderboard;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.http.Responses;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Leaderboards over REST (behind authentication): {@code GET /leaderboards/:period?offset=&limit=}
 * for the top, {@code GET /leaderboards/:period/me} for one's own rank; period is {@code all},
 * {@code week} or {@code day} (UTC).
 */
public final class LeaderboardRoutes {
    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 100;
    public static final int MAX_OFFSET = 1_000_000;

    /** A board line as REST clients see it. */
    public record Line(int rank, UUID userId, String username, long score) {
    }

    public record Page(String period, int offset, List<Line> entries) {
    }

    private final LeaderboardStore boards;
    private final PlayerNames names;
    private final Clock clock;

    public LeaderboardRoutes(LeaderboardStore boards, PlayerNames names, Clock clock) {
        this.boards = boards;
        this.names = names;
        this.clock = clock;
    }

    public void mount(Router router) {
        router.get("/leaderboards/:period").handler(this::top);
        router.get("/leaderboards/:period/me").handler(this::mine);
    }

    private void top(RoutingContext ctx) {
        Period period = period(ctx);
        int offset = Responses.intParam(ctx, "offset", 0, 0, MAX_OFFSET);
        int limit = Responses.intParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        boards.top(period, Instant.now(clock), offset, limit)
            .compose(entries -> names.of(entries.stream().map(LeaderboardEntry::userId).toList())
                .map(byId -> entries.stream()
                    .map(e -> new Line(e.rank(), e.userId(), byId.get(e.userId()), e.score())).toList()))
            .onSuccess(lines -> Responses.json(ctx, 200, new Page(ctx.pathParam("period"), offset, lines)))
            .onFailure(ctx::fail);
    }

    private void mine(RoutingContext ctx) {
        Period period = period(ctx);
        var user = Authentication.current(ctx);
        boards.rankOf(period, Instant.now(clock), user.userId())
            .onSuccess(entry -> {
                if (entry == null) {
                    ctx.fail(new QuizException(ErrorCode.NOT_FOUND, "You have no score on this board yet."));
                    return;
                }
                Responses.json(ctx, 200, new Line(entry.rank(), entry.userId(), user.username(), entry.score()));
            })
            .onFailure(ctx::fail);
    }

    private static Period period(RoutingContext ctx) {
        String name = ctx.pathParam("period");
        try {
            return Period.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new QuizException(ErrorCode.NOT_FOUND, "There is no leaderboard '" + name + "'; use all, week or day.");
        }
    }
}
