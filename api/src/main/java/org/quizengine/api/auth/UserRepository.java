package org.quizengine.api.auth;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * The {@code users} table. Usernames and emails are unique ignoring case (the schema's indexes on
 * {@code lower(...)}), and every lookup by them ignores case the same way. A deleted (anonymised)
 * account is never found: its tokens resolve to no account, and its old name and email are free.
 */
public final class UserRepository {
    private static final String COLUMNS =
        "id, username, email, password_hash, role, display_name, disabled, created_at, avatar_url";
    private static final String INSERT = "INSERT INTO users (id, username, email, password_hash, role, display_name)"
        + " VALUES ($1, $2, $3, $4, $5, $6)";
    private static final String CREATE = INSERT + " RETURNING " + COLUMNS;
    private static final String CREATE_IF_ABSENT = INSERT + " ON CONFLICT DO NOTHING RETURNING " + COLUMNS;
    private static final String FIND_BY_USERNAME = "SELECT " + COLUMNS + " FROM users WHERE lower(username) = lower($1)"
        + " AND deleted_at IS NULL";
    private static final String FIND_BY_EMAIL = "SELECT " + COLUMNS + " FROM users WHERE lower(email) = lower($1)"
        + " AND deleted_at IS NULL";
    private static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM users WHERE id = $1 AND deleted_at IS NULL";
    private static final String DELETED_AMONG = "SELECT id FROM users WHERE id = ANY($1) AND deleted_at IS NOT NULL";
    // A deleted account is absent here as in every lookup: the admin routes answer 404 for it, so nothing of it changes.
    private static final String SET_ROLE = "UPDATE users SET role = $2 WHERE id = $1 AND deleted_at IS NULL";
    private static final String SET_DISABLED = "UPDATE users SET disabled = $2 WHERE id = $1 AND deleted_at IS NULL";

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String USERNAME_INDEX = "users_username_key";
    private static final String EMAIL_INDEX = "users_email_key";

    private final Pool pool;

    public UserRepository(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Creates the user with a new id; a taken username or email fails with USERNAME_TAKEN or EMAIL_TAKEN. */
    public Future<UserAccount> create(NewUser user) {
        return pool.preparedQuery(CREATE).execute(insertTuple(user))
            .recover(UserRepository::explainUniqueViolation)
            .map(rows -> toAccount(rows.iterator().next()));
    }

    /** Creates the user unless its username or email is already taken; empty if it was. */
    public Future<Optional<UserAccount>> createIfAbsent(NewUser user) {
        return pool.preparedQuery(CREATE_IF_ABSENT).execute(insertTuple(user)).map(UserRepository::firstAccount);
    }

    public Future<Optional<UserAccount>> findByUsername(String username) {
        return pool.preparedQuery(FIND_BY_USERNAME).execute(Tuple.of(username)).map(UserRepository::firstAccount);
    }

    public Future<Optional<UserAccount>> findByEmail(String email) {
        return pool.preparedQuery(FIND_BY_EMAIL).execute(Tuple.of(email)).map(UserRepository::firstAccount);
    }

    /** Finds by email if {@code login} has an '@' (usernames never do), else by username. */
    public Future<Optional<UserAccount>> findByLogin(String login) {
        return login.indexOf('@') >= 0 ? findByEmail(login) : findByUsername(login);
    }

    /** Which of {@code ids} belong to deleted accounts. */
    public Future<java.util.Set<UUID>> deletedAmong(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(java.util.Set.of());
        }
        return pool.preparedQuery(DELETED_AMONG).execute(Tuple.of(ids.toArray(new UUID[0]))).map(rows -> {
            java.util.Set<UUID> deleted = new java.util.HashSet<>();
            rows.forEach(row -> deleted.add(row.getUUID("id")));
            return deleted;
        });
    }

    public Future<Optional<UserAccount>> findById(UUID id) {
        return pool.preparedQuery(FIND_BY_ID).execute(Tuple.of(id)).map(UserRepository::firstAccount);
    }

    /**
     * The account of a signed-in user, for handlers behind the token: fails UNAUTHORIZED when the
     * account no longer exists (deleted) and ACCOUNT_DISABLED when it is disabled, as {@code GET /me} does.
     */
    public Future<UserAccount> activeAccount(UUID id) {
        return findById(id).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(
                    new QuizException(ErrorCode.UNAUTHORIZED, "The account for this token no longer exists."));
            }
            if (found.get().disabled()) {
                return Future.failedFuture(new QuizException(ErrorCode.ACCOUNT_DISABLED, "This account is disabled."));
            }
            return Future.succeededFuture(found.get());
        });
    }

    /** Sets the user's role; NOT_FOUND if there is no such user (or it was deleted). */
    public Future<Void> setRole(UUID id, Role role) {
        return pool.preparedQuery(SET_ROLE).execute(Tuple.of(id, role.wireName())).compose(UserRepository::requireOneRow);
    }

    /** Disables or re-enables the user's account; NOT_FOUND if there is no such user (or it was deleted). */
    public Future<Void> setDisabled(UUID id, boolean disabled) {
        return pool.preparedQuery(SET_DISABLED).execute(Tuple.of(id, disabled)).compose(UserRepository::requireOneRow);
    }

    private static Tuple insertTuple(NewUser user) {
        return Tuple.tuple()
            .addUUID(UUID.randomUUID())
            .addString(user.username())
            .addString(user.email())
            .addString(user.passwordHash())
            .addString(user.role().wireName())
            .addString(user.displayName());
    }

    private static <T> Future<T> explainUniqueViolation(Throwable failure) {
        if (failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
            if (USERNAME_INDEX.equals(pg.getConstraint())) {
                return Future.failedFuture(new QuizException(ErrorCode.USERNAME_TAKEN, "This username is already taken."));
            }
            if (EMAIL_INDEX.equals(pg.getConstraint())) {
                return Future.failedFuture(new QuizException(ErrorCode.EMAIL_TAKEN, "This email is already registered."));
            }
        }
        return Future.failedFuture(failure);
    }

    private static Future<Void> requireOneRow(RowSet<Row> rows) {
        return rows.rowCount() == 1
            ? Future.succeededFuture()
            : Future.failedFuture(new QuizException(ErrorCode.NOT_FOUND, "No such user."));
    }

    private static Optional<UserAccount> firstAccount(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(toAccount(iterator.next())) : Optional.empty();
    }

    private static UserAccount toAccount(Row row) {
        return new UserAccount(
            row.getUUID("id"),
            row.getString("username"),
            row.getString("email"),
            row.getString("password_hash"),
            Role.fromWireName(row.getString("role")),
            row.getString("display_name"),
            row.getBoolean("disabled"),
            row.getOffsetDateTime("created_at").toInstant(),
            row.getString("avatar_url"));
    }
}
