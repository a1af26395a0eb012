package org.quizengine.api.leaderboard;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.Role;
import org.quizengine.api.http.Responses;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Leaderboards over REST, behind authentication (paths relative to {@code /api/v1}; see
 * {@code docs/leaderboards.md}):
 * <ul>
 *   <li>{@code GET /leaderboards/{board}?offset=&limit=}: a page of the top, with the board's size;
 *   <li>{@code GET /leaderboards/{board}/me}: my line (404 when I have no score there);
 *   <li>{@code GET /leaderboards/{board}/around-me?radius=}: my line and up to {@code radius} lines
 *       above and below it (404 when I have no score there);
 *   <li>{@code POST /admin/leaderboards/rebuild} (admin): rebuild every board from PostgreSQL.
 * </ul>
 * {@code board} is one of {@code all}, {@code week}, {@code day}, {@code previous-week},
 * {@code previous-day} ({@link Board}); weeks and days are UTC.
 */
public final class LeaderboardRoutes {
    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = LeaderboardStore.MAX_PAGE_SIZE;
    public static final int MAX_OFFSET = 1_000_000;
    public static final int DEFAULT_RADIUS = 5;
    public static final int MAX_RADIUS = 50;

    /** A board line as REST clients see it; {@code reachedAt} (ISO-8601) orders equal scores. */
    public record Line(int rank, UUID userId, String username, long score, String reachedAt) {
    }

    /** Top lines. {@code from} and {@code until} (ISO-8601, until exclusive) are absent for all time. */
    public record Page(String board, String boardId, String from, String until, int offset, int limit, long total,
                       List<Line> entries) {
    }

    /** My line and its neighbours, best first. */
    public record AroundMe(String board, String boardId, String from, String until, int radius, long total, Line me,
                           List<Line> entries) {
    }

    private final LeaderboardStore boards;
    private final PlayerNames names;
    private final LeaderboardRebuild rebuild;
    private final Clock clock;

    public LeaderboardRoutes(LeaderboardStore boards, PlayerNames names, LeaderboardRebuild rebuild, Clock clock) {
        this.boards = Objects.requireNonNull(boards, "boards");
        this.names = Objects.requireNonNull(names, "names");
        this.rebuild = Objects.requireNonNull(rebuild, "rebuild");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds the routes to a router behind {@link Authentication}. */
    public void mount(Router signedIn) {
        signedIn.get("/leaderboards/:board").handler(this::top);
        signedIn.get("/leaderboards/:board/me").handler(this::mine);
        signedIn.get("/leaderboards/:board/around-me").handler(this::aroundMe);
        signedIn.post("/admin/leaderboards/rebuild").handler(Authentication.requireRole(Role.ADMIN))
            .handler(this::rebuild);
    }

    private void top(RoutingContext ctx) {
        Board board = board(ctx);
        int offset = Responses.intParam(ctx, "offset", 0, 0, MAX_OFFSET);
        int limit = Responses.intParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        Instant now = clock.instant();
        boards.page(board.boardId(now), offset, limit)
            .compose(slice -> lines(slice.entries()).map(lines -> new Page(board.pathName(), board.boardId(now),
                from(board, now), until(board, now), offset, limit, slice.total(), lines)))
            .onSuccess(page -> Responses.json(ctx, 200, page))
            .onFailure(ctx::fail);
    }

    private void mine(RoutingContext ctx) {
        Board board = board(ctx);
        UUID me = Authentication.current(ctx).userId();
        boards.around(board.boardId(clock.instant()), me, 0)
            .compose(slice -> lines(onBoard(slice).entries()))
            .onSuccess(lines -> Responses.json(ctx, 200, lines.get(0)))
            .onFailure(ctx::fail);
    }

    private void aroundMe(RoutingContext ctx) {
        Board board = board(ctx);
        int radius = Responses.intParam(ctx, "radius", DEFAULT_RADIUS, 0, MAX_RADIUS);
        UUID me = Authentication.current(ctx).userId();
        Instant now = clock.instant();
        boards.around(board.boardId(now), me, radius)
            .compose(slice -> lines(onBoard(slice).entries()).map(lines -> new AroundMe(board.pathName(),
                board.boardId(now), from(board, now), until(board, now), radius, slice.total(),
                lines.stream().filter(line -> line.userId().equals(me)).findFirst().orElseThrow(), lines)))
            .onSuccess(around -> Responses.json(ctx, 200, around))
            .onFailure(ctx::fail);
    }

    private void rebuild(RoutingContext ctx) {
        rebuild.run()
            .onSuccess(report -> Responses.json(ctx, 200, report))
            .onFailure(ctx::fail);
    }

    private static BoardSlice onBoard(BoardSlice slice) {
        if (slice == null) {
            throw new QuizException(ErrorCode.NOT_FOUND, "You have no score on this board yet.");
        }
        return slice;
    }

    private Future<List<Line>> lines(List<LeaderboardEntry> entries) {
        return names.of(entries.stream().map(LeaderboardEntry::userId).toList()).map((Map<UUID, String> byId) ->
            entries.stream().map(e -> new Line(e.rank(), e.userId(), byId.get(e.userId()), e.score(),
                e.reachedAt().toString())).toList());
    }

    private static String from(Board board, Instant now) {
        Instant start = board.period().start(board.within(now));
        return start == null ? null : start.toString();
    }

    private static String until(Board board, Instant now) {
        Instant end = board.period().end(board.within(now));
        return end == null ? null : end.toString();
    }

    private static Board board(RoutingContext ctx) {
        String name = ctx.pathParam("board");
        return Board.fromPath(name).orElseThrow(() -> new QuizException(ErrorCode.NOT_FOUND,
            "There is no leaderboard '" + name + "'; use all, week, day, previous-week or previous-day."));
    }
}
