package org.quizengine.api.mydata;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.api.auth.AccountRules;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Deletes an account by anonymising it, in one transaction. The row stays, because the matches
 * other players read still refer to its id, but nothing of the person is left:
 * <ul>
 *   <li>the username becomes {@link #anonymousName} (a name registration refuses), the email an
 *       address under the reserved {@code .invalid} domain, so the old name and email are free again;</li>
 *   <li>the password hash is replaced by a value no password matches, display name and avatar are
 *       cleared, the role falls back to user, the account is disabled and {@code deleted_at} set, which
 *       makes every account lookup treat it as absent (no login, no token of theirs is honoured);</li>
 *   <li>the name recorded with each of their matches becomes the anonymous one, and their lifetime
 *       stats are dropped. Their answers stay, so others' match details still add up.</li>
 * </ul>
 */
public final class AccountDeletion {
    /** Not a PHC string, so no password can ever verify against it. */
    static final String NO_PASSWORD = "!deleted";

    static final String ANONYMISE_USER = """
        UPDATE users SET username = $2, email = $3, password_hash = $4, display_name = NULL, avatar_url = NULL,
                         role = 'user', disabled = true, deleted_at = now()
        WHERE id = $1 AND deleted_at IS NULL""";
    static final String ANONYMISE_MATCHES = "UPDATE match_players SET username = $2 WHERE user_id = $1";
    static final String DROP_STATS = "DELETE FROM player_stats WHERE user_id = $1";
    // Revoked already; what they recorded about where the user signed in from goes too.
    static final String FORGET_SESSIONS = "UPDATE sessions SET user_agent = NULL, client_address = NULL WHERE user_id = $1";

    private final Pool pool;

    public AccountDeletion(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** The name a deleted account goes by: {@code deleted-} and the first 16 hex digits of its id. */
    public static String anonymousName(UUID userId) {
        return AccountRules.DELETED_USERNAME_PREFIX + userId.toString().replace("-", "").substring(0, 16);
    }

    /** Anonymises {@code userId}'s account; NOT_FOUND if it does not exist or was already deleted. */
    public Future<Void> anonymise(UUID userId) {
        Objects.requireNonNull(userId, "userId");
        String name = anonymousName(userId);
        // Not an email address registration accepts (no '@'), so nobody can take it first and make the
        // unique index refuse this deletion.
        String email = anonymousEmail(userId);
        return pool.withTransaction(conn -> conn.preparedQuery(ANONYMISE_USER)
            .execute(Tuple.of(userId, name, email, NO_PASSWORD))
            .compose(updated -> updated.rowCount() == 1
                ? conn.preparedQuery(ANONYMISE_MATCHES).execute(Tuple.of(userId, name))
                : Future.failedFuture(new QuizException(ErrorCode.NOT_FOUND, "No such user.")))
            .compose(done -> conn.preparedQuery(DROP_STATS).execute(Tuple.of(userId)))
            .compose(done -> conn.preparedQuery(FORGET_SESSIONS).execute(Tuple.of(userId)))
            .mapEmpty());
    }

    /** What a deleted account's email becomes: unique, and never a valid address. */
    public static String anonymousEmail(UUID userId) {
        return "deleted:" + userId;
    }
}
