package org.quizengine.api.history;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.Role;
import org.quizengine.api.auth.UserAccount;
import org.quizengine.api.auth.UserRepository;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.Responses;
import org.quizengine.api.http.TextLength;
import org.quizengine.api.http.ValidationException;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Match history over REST (behind authentication):
 * {@code GET /me/matches?from=&to=&cursor=&limit=} (newest first, keyset-paged, optionally within
 * a date range) and {@code GET /matches/:matchId}.
 *
 * <p>A match's detail is for the players who played it, and for moderators and admins (who look
 * after the questions and the players). Anyone else is told there is no such match, exactly as for
 * an id that does not exist, so match ids cannot be probed.
 *
 * <p>{@code from} and {@code to} are ISO-8601 instants ({@code 2026-11-30T12:00:00Z}, or with an
 * offset) or plain dates ({@code 2026-11-30}) meaning UTC days. A match is listed when it finished at
 * or after {@code from} and before {@code to}; a date as {@code to} includes that whole day.
 */
public final class HistoryRoutes {
    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 100;
    private static final String NO_SUCH_MATCH = "No such match.";
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final String BOUND_FORMAT =
        "must be an ISO-8601 instant such as 2026-11-30T12:00:00Z or a date such as 2026-11-30";

    private final HistoryRepository history;
    private final UserRepository users;

    public HistoryRoutes(HistoryRepository history, UserRepository users) {
        this.history = Objects.requireNonNull(history, "history");
        this.users = Objects.requireNonNull(users, "users");
    }

    public void mount(Router router) {
        router.get("/me/matches").handler(this::myMatches);
        router.get("/matches/:matchId").handler(this::match);
    }

    private void myMatches(RoutingContext ctx) {
        int limit = Responses.intParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        HistoryRange range = range(ctx.request().getParam("from"), ctx.request().getParam("to"));
        String cursor = ctx.request().getParam("cursor");
        users.activeAccount(Authentication.current(ctx).userId())
            .compose(me -> history.history(me.id(), range, cursor == null || cursor.isBlank() ? null : cursor, limit))
            .onSuccess(page -> Responses.json(ctx, 200, page))
            .onFailure(ctx::fail);
    }

    private void match(RoutingContext ctx) {
        UUID matchId = Responses.uuidPath(ctx, "matchId", NO_SUCH_MATCH);
        users.activeAccount(Authentication.current(ctx).userId())
            .compose(me -> history.matchDetail(matchId)
                // The same answer whether the match does not exist or is not theirs to read.
                .recover(failure -> Future.failedFuture(isNotFound(failure) ? noSuchMatch() : failure))
                .compose(detail -> mayRead(me, detail) ? Future.succeededFuture(detail) : Future.failedFuture(noSuchMatch())))
            .onSuccess(detail -> Responses.json(ctx, 200, detail))
            .onFailure(ctx::fail);
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof QuizException quiz && quiz.code() == ErrorCode.NOT_FOUND;
    }

    private static QuizException noSuchMatch() {
        return new QuizException(ErrorCode.NOT_FOUND, NO_SUCH_MATCH);
    }

    /** Players of the match, moderators and admins. */
    static boolean mayRead(UserAccount reader, MatchDetail detail) {
        return reader.role().atLeast(Role.MODERATOR)
            || detail.players().stream().anyMatch(player -> player.userId().equals(reader.id()));
    }

    /** The range the {@code from} and {@code to} parameters ask for; 422 naming each bad one. */
    static HistoryRange range(String fromParam, String toParam) {
        List<FieldError> errors = new ArrayList<>();
        Instant from = bound("from", fromParam, false, errors);
        Instant to = bound("to", toParam, true, errors);
        if (errors.isEmpty() && from != null && to != null && !from.isBefore(to)) {
            errors.add(new FieldError("from", "must be before to"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new HistoryRange(from, to);
    }

    /** A date as an end bound means the end of that UTC day, i.e. the start of the next one. */
    private static Instant bound(String name, String value, boolean end, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant = parse(value.trim(), end);
        if (instant == null) {
            errors.add(new FieldError(name, BOUND_FORMAT));
            return null;
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            errors.add(new FieldError(name, "must be between the years 1 and 9999"));
            return null;
        }
        return instant;
    }

    private static Instant parse(String value, boolean end) {
        if (TextLength.of(value) > 40) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notAnInstant) {
            // try a plain date
        }
        try {
            LocalDate day = LocalDate.parse(value);
            return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException notADate) {
            return null;
        }
    }
}
