package org.quizengine.api.profile;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/** Reads players' lifetime stats (written by {@code MatchResultStore} with each match). */
public final class ProfileRepository {

    static final String STATS = """
        SELECT matches_played, wins, total_score, best_score, questions_answered, correct_answers, best_streak,
               last_played_at
        FROM player_stats WHERE user_id = $1""";

    private final Pool pool;

    public ProfileRepository(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** {@code userId}'s stats; {@link PlayerStats#NONE} when they have not finished a match. */
    public Future<PlayerStats> stats(UUID userId) {
        Objects.requireNonNull(userId, "userId");
        return pool.preparedQuery(STATS).execute(Tuple.of(userId)).map(rows -> {
            if (rows.size() == 0) {
                return PlayerStats.NONE;
            }
            Row row = rows.iterator().next();
            OffsetDateTime lastPlayed = row.getOffsetDateTime("last_played_at");
            return PlayerStats.of(row.getInteger("matches_played"), row.getInteger("wins"), row.getLong("total_score"),
                row.getInteger("best_score"), row.getInteger("questions_answered"), row.getInteger("correct_answers"),
                row.getInteger("best_streak"), lastPlayed == null ? null : lastPlayed.toInstant().toEpochMilli());
        });
    }
}
