package org.quizengine.api.mydata;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.quizengine.api.auth.AccountRules;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.PasswordHasher;
import org.quizengine.api.auth.UserAccount;
import org.quizengine.api.auth.UserRepository;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.JsonBodies;
import org.quizengine.api.http.TextLength;
import org.quizengine.api.http.ValidationException;
import org.quizengine.api.leaderboard.Board;
import org.quizengine.api.leaderboard.LeaderboardEntry;
import org.quizengine.api.leaderboard.LeaderboardStore;
import org.quizengine.api.leaderboard.Period;
import org.quizengine.api.profile.ProfileRepository;
import org.quizengine.api.protection.LoginThrottle;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "My data" over REST, behind authentication: {@code GET /me/export} sends everything the system
 * holds about me as one downloadable JSON document ({@link DataExport}); {@code DELETE /me}, with
 * my current password as confirmation, deletes my account.
 *
 * <p>Deleting goes: check the password (wrong: refused, nothing changes); revoke all my sessions,
 * so none outlives the account (if that fails, nothing else has changed and I can retry); anonymise
 * the account in PostgreSQL ({@link AccountDeletion}), from which point no token or password of mine
 * is accepted; take me off the Redis leaderboards. If that last step fails the account is already
 * gone; the failure is logged and reported, and rebuilding the boards from PostgreSQL drops me.
 */
public final class MyDataRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(MyDataRoutes.class);

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final ProfileRepository profiles;
    private final ExportRepository exports;
    private final AccountDeletion deletion;
    private final LeaderboardStore leaderboards;
    private final Function<UUID, Future<Void>> revokeAllSessions;
    private final Clock clock;

    /**
     * @param revokeAllSessions ends every session (refresh token family) of a user, on every node;
     *                          must succeed before the account is deleted
     */
    public MyDataRoutes(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, ProfileRepository profiles,
                        ExportRepository exports, AccountDeletion deletion, LeaderboardStore leaderboards,
                        Function<UUID, Future<Void>> revokeAllSessions, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.exports = Objects.requireNonNull(exports, "exports");
        this.deletion = Objects.requireNonNull(deletion, "deletion");
        this.leaderboards = Objects.requireNonNull(leaderboards, "leaderboards");
        this.revokeAllSessions = Objects.requireNonNull(revokeAllSessions, "revokeAllSessions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void mount(Router router) {
        router.get("/me/export").handler(this::export);
        router.delete("/me").handler(this::deleteMe);
    }

    private void export(RoutingContext ctx) {
        Instant now = clock.instant();
        users.activeAccount(Authentication.current(ctx).userId())
            .compose(account -> {
                var stats = profiles.stats(account.id());
                var standings = standings(account.id(), now);
                var matches = exports.matches(account.id());
                var sessions = exports.sessions(account.id());
                return Future.all(stats, standings, matches, sessions).map(all -> new DataExport(now.toString(),
                    accountOf(account), stats.result(), standings.result(), matches.result(), sessions.result()));
            })
            .onSuccess(export -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Disposition", "attachment; filename=\"" + fileName(export, now) + "\"")
                .end(Wire.encode(export)))
            .onFailure(ctx::fail);
    }

    private void deleteMe(RoutingContext ctx) {
        String password = confirmationPassword(JsonBodies.requireObject(ctx));
        users.activeAccount(Authentication.current(ctx).userId())
            // Counted like a login, so a stolen token cannot be used to guess the password here.
            .compose(account -> throttle.attempt(ctx, LoginThrottle.Subject.account(account.id()), () -> hasher.verify(password, account.passwordHash())
                .compose(matches -> matches
                    ? Future.succeededFuture(account.id())
                    : Future.failedFuture(new QuizException(ErrorCode.PASSWORD_CONFIRMATION_FAILED,
                        "The password is wrong; the account was not deleted.")))))
            .compose(userId -> revokeAllSessions.apply(userId)
                .compose(revoked -> deletion.anonymise(userId))
                // The account is gone once anonymised: a Redis failure here must not tell the user
                // otherwise. An admin's rebuild leaves deleted accounts out of every board.
                .compose(deleted -> leaderboards.removePlayer(userId)
                    .recover(e -> {
                        LOG.error("Account {} deleted, but not removed from the leaderboards; a rebuild will", userId, e);
                        return Future.succeededFuture();
                    })))
            .onSuccess(done -> ctx.response().setStatusCode(204).end())
            .onFailure(ctx::fail);
    }

    private static String confirmationPassword(JsonObject body) {
        Object value = body.getValue("password");
        List<FieldError> errors = new ArrayList<>();
        if (value == null) {
            errors.add(new FieldError("password", "is required: your current password confirms the deletion"));
        } else if (!(value instanceof String text)) {
            errors.add(new FieldError("password", "must be a string"));
        } else if (!TextLength.between(text, 1, AccountRules.PASSWORD_MAX)) {
            errors.add(new FieldError("password", "must be 1 to " + AccountRules.PASSWORD_MAX + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return (String) value;
    }

    /** Where the user stands now on each board, current and previous period; boards they are not on are left out. */
    private Future<List<DataExport.Standing>> standings(UUID userId, Instant now) {
        Map<String, Future<LeaderboardEntry>> boards = new LinkedHashMap<>();
        for (Board board : Board.values()) {
            boards.put(board.pathName(), leaderboards.rankOf(board.boardId(now), userId));
        }
        return Future.all(List.copyOf(boards.values())).map(all -> {
            List<DataExport.Standing> standings = new ArrayList<>();
            boards.forEach((board, entry) -> {
                if (entry.result() != null) {
                    standings.add(new DataExport.Standing(board, entry.result().rank(), entry.result().score()));
                }
            });
            return standings;
        });
    }

    private static DataExport.Account accountOf(UserAccount account) {
        return new DataExport.Account(account.id(), account.username(), account.email(), account.displayName(),
            account.avatarUrl(), account.role().wireName(), account.disabled(), account.createdAt().toString());
    }

    /** {@code quizengine-export-<username>-<UTC date>.json}, with anything unusual in the name replaced. */
    private static String fileName(DataExport export, Instant now) {
        String safeName = export.account().username().replaceAll("[^A-Za-z0-9_.-]", "_");
        return "quizengine-export-" + safeName + "-" + LocalDate.ofInstant(now, ZoneOffset.UTC) + ".json";
    }
}
