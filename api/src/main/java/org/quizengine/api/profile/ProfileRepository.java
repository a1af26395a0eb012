package org.quizengine.api.profile;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.quizengine.api.profile.ProfileRules.ProfileEdit;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Reads players' lifetime stats (written by {@code MatchResultStore} with each match) and public
 * profiles, and edits the profile fields of an account. Deleted accounts have no profile.
 */
public final class ProfileRepository {

    private static final String STATS_COLUMNS = """
        s.matches_played, s.wins, s.total_score, s.best_score, s.questions_answered, s.correct_answers,
        s.best_streak, s.last_played_at""";

    static final String STATS = "SELECT " + STATS_COLUMNS + " FROM player_stats s WHERE s.user_id = $1";

    static final String PUBLIC_PROFILE = "SELECT u.id, u.username, u.display_name, u.avatar_url, u.created_at, "
        + STATS_COLUMNS + """

        FROM users u LEFT JOIN player_stats s ON s.user_id = u.id
        WHERE lower(u.username) = lower($1) AND u.deleted_at IS NULL""";

    // Each field is set only when the edit names it, so one statement serves every combination.
    static final String EDIT = """
        UPDATE users SET
          display_name = CASE WHEN $2::boolean THEN $3::text ELSE display_name END,
          avatar_url   = CASE WHEN $4::boolean THEN $5::text ELSE avatar_url END
        WHERE id = $1 AND deleted_at IS NULL""";

    private final Pool pool;

    public ProfileRepository(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** {@code userId}'s stats; {@link PlayerStats#NONE} when they have not finished a match. */
    public Future<PlayerStats> stats(UUID userId) {
        Objects.requireNonNull(userId, "userId");
        return pool.preparedQuery(STATS).execute(Tuple.of(userId))
            .map(rows -> rows.size() == 0 ? PlayerStats.NONE : toStats(rows.iterator().next()));
    }

    /** The public profile of the user with this username (any case); empty if there is none or it was deleted. */
    public Future<Optional<PublicProfile>> publicProfile(String username) {
        Objects.requireNonNull(username, "username");
        return pool.preparedQuery(PUBLIC_PROFILE).execute(Tuple.of(username)).map(ProfileRepository::toProfile);
    }

    /** Applies a checked edit to {@code userId}'s account; NOT_FOUND if there is no such (live) account. */
    Future<Void> edit(UUID userId, ProfileEdit edit) {
        Tuple args = Tuple.of(userId, edit.setDisplayName(), edit.displayName(), edit.setAvatarUrl(), edit.avatarUrl());
        return pool.preparedQuery(EDIT).execute(args).compose(ProfileRepository::requireOneRow);
    }

    private static Optional<PublicProfile> toProfile(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new PublicProfile(row.getUUID("id"), row.getString("username"),
            row.getString("display_name"), row.getString("avatar_url"),
            row.getOffsetDateTime("created_at").toInstant().toString(), toStats(row).publicView()));
    }

    /** Stats from a row of {@link #STATS_COLUMNS}; all NULL (no stats row joined) means none yet. */
    private static PlayerStats toStats(Row row) {
        if (row.getValue("matches_played") == null) {
            return PlayerStats.NONE;
        }
        OffsetDateTime lastPlayed = row.getOffsetDateTime("last_played_at");
        return PlayerStats.of(row.getInteger("matches_played"), row.getInteger("wins"), row.getLong("total_score"),
            row.getInteger("best_score"), row.getInteger("questions_answered"), row.getInteger("correct_answers"),
            row.getInteger("best_streak"), lastPlayed == null ? null : lastPlayed.toInstant().toEpochMilli());
    }

    private static Future<Void> requireOneRow(RowSet<Row> rows) {
        return rows.rowCount() == 1
            ? Future.succeededFuture()
            : Future.failedFuture(new QuizException(ErrorCode.NOT_FOUND, "No such user."));
    }
}
