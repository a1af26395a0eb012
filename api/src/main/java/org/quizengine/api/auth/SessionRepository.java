package org.quizengine.api.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * The {@code sessions} and {@code spent_refresh_tokens} tables. Every change that must not race
 * (rotating a refresh token, revoking, changing a password) is one conditional statement or one
 * transaction, never a read followed by a write. Times are the database's clock, so nodes whose
 * clocks differ agree on when a refresh token expires.
 */
public final class SessionRepository {
    /** The most sessions {@link #listLive} returns; a user with more sees the most recently used. */
    public static final int MAX_LISTED = 100;

    private static final String LIVE = "revoked_at IS NULL AND expires_at > now()";
    // FOR SHARE: a login racing with "disable" waits for it, then sees the account disabled.
    private static final String OPEN = "INSERT INTO sessions (id, user_id, refresh_hash, expires_at, user_agent, client_address)"
        + " SELECT $1, id, $3, now() + make_interval(secs => $4), $5, $6 FROM users WHERE id = $2 AND NOT disabled FOR SHARE"
        + " RETURNING expires_at";
    private static final String ROTATE = "UPDATE sessions s SET refresh_hash = $2, last_used_at = now(),"
        + " expires_at = now() + make_interval(secs => $3),"
        + " user_agent = coalesce($4, s.user_agent), client_address = coalesce($5, s.client_address)"
        + " FROM users u WHERE s.refresh_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()"
        + " AND u.id = s.user_id AND NOT u.disabled"
        + " RETURNING s.id, s.user_id, s.expires_at";
    private static final String SPEND = "INSERT INTO spent_refresh_tokens (token_hash, session_id) VALUES ($1, $2)";
    private static final String FIND_CURRENT = "SELECT s.id, s.revoked_at IS NOT NULL AS revoked,"
        + " s.expires_at <= now() AS expired, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id"
        + " WHERE s.refresh_hash = $1";
    private static final String FIND_SPENT = "SELECT session_id FROM spent_refresh_tokens WHERE token_hash = $1";
    // Idempotent: a session already revoked keeps its first time and reason, and is still returned, so a
    // retry (after its revocation could not be announced) announces it again.
    private static final String REVOKE_FAMILY = "UPDATE sessions SET revoked_at = coalesce(revoked_at, now()),"
        + " revoked_reason = coalesce(revoked_reason, $2) WHERE id = $1 RETURNING id";
    private static final String REVOKE_ONE_OF = "UPDATE sessions SET revoked_at = coalesce(revoked_at, now()),"
        + " revoked_reason = coalesce(revoked_reason, $3) WHERE id = $1 AND user_id = $2 RETURNING id";
    // Expired sessions too: an access token issued just before the refresh token expired still lives.
    // Sessions revoked within the last $4 seconds are returned as well, for the same reason as above.
    private static final String REVOKE_ALL_OF = "WITH newly AS (UPDATE sessions SET revoked_at = now(), revoked_reason = $2"
        + " WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $3 RETURNING id)"
        + " SELECT id FROM newly UNION SELECT id FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $3"
        + " AND revoked_at > now() - make_interval(secs => $4)";
    private static final String LIST_LIVE = "SELECT id, created_at, last_used_at, expires_at, user_agent, client_address"
        + " FROM sessions WHERE user_id = $1 AND " + LIVE + " ORDER BY last_used_at DESC, id LIMIT " + MAX_LISTED;
    private static final String STANDING = "SELECT s.revoked_at IS NOT NULL, s.revoked_reason, u.role"
        + " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1";
    private static final String REVOKED_SINCE =
        "SELECT id, revoked_reason FROM sessions WHERE revoked_at > now() - make_interval(secs => $1)";
    private static final String SET_DISABLED = "UPDATE users SET disabled = true WHERE id = $1 AND deleted_at IS NULL";
    private static final String RENAME_REVOCATIONS = "WITH renamed AS (UPDATE sessions SET revoked_reason = $3"
        + " WHERE user_id = $1 AND revoked_reason = $2 RETURNING id, revoked_at)"
        + " SELECT id FROM renamed WHERE revoked_at > now() - make_interval(secs => $4)";
    private static final String SET_PASSWORD = "UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2";

    private final Pool pool;
    private final double recentSeconds;

    /** @param recent how far back a revocation counts as recent (see {@link #revokeAllOf}): an access token's life */
    public SessionRepository(Pool pool, Duration recent) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.recentSeconds = recent.toSeconds();
    }

    /** A session as its owner sees it in a list. */
    public record SessionInfo(UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String userAgent,
                              String clientAddress) {
    }

    /** A refresh token just exchanged: its session, whose user, and when the new token expires. */
    public record Rotated(UUID sessionId, UUID userId, Instant refreshExpiresAt) {
    }

    /** What the database holds for a refresh token that could not be exchanged. */
    public sealed interface Refusal {
        /** The token is its session's current one, but the session is revoked, expired or its user disabled. */
        record Current(UUID sessionId, boolean revoked, boolean expired, boolean disabled) implements Refusal {
        }

        /** The token was already exchanged: someone presents it a second time. */
        record Spent(UUID sessionId) implements Refusal {
        }

        /** No session ever had this token. */
        record Unknown() implements Refusal {
        }
    }

    /**
     * Opens a session for an enabled user; empty if the user is disabled or gone (checked in the
     * same statement, so a concurrent disable cannot be missed). Returns the refresh expiry.
     */
    public Future<Optional<Instant>> open(UUID sessionId, UUID userId, byte[] refreshHash, Duration ttl, String userAgent,
                                          String clientAddress) {
        return pool.preparedQuery(OPEN)
            .execute(Tuple.of(sessionId, userId, Buffer.buffer(refreshHash), (double) ttl.toSeconds(), userAgent, clientAddress))
            .map(rows -> rows.size() == 0 ? Optional.empty()
                : Optional.of(rows.iterator().next().getOffsetDateTime(0).toInstant()));
    }

    /**
     * Exchanges the current refresh token {@code oldHash} for {@code newHash} in one transaction that
     * also records the old one as spent. Of several calls racing with the same token, exactly one
     * gets a result; the others find the token spent. Empty if the token is not exchangeable.
     */
    public Future<Optional<Rotated>> rotate(byte[] oldHash, byte[] newHash, Duration ttl, String userAgent,
                                            String clientAddress) {
        return pool.withTransaction(client -> client.preparedQuery(ROTATE)
            .execute(Tuple.of(Buffer.buffer(oldHash), Buffer.buffer(newHash), (double) ttl.toSeconds(), userAgent, clientAddress))
            .compose(rows -> {
                if (rows.size() == 0) {
                    return Future.succeededFuture(Optional.<Rotated>empty());
                }
                Row row = rows.iterator().next();
                Rotated rotated = new Rotated(row.getUUID(0), row.getUUID(1), row.getOffsetDateTime(2).toInstant());
                return client.preparedQuery(SPEND).execute(Tuple.of(Buffer.buffer(oldHash), rotated.sessionId()))
                    .map(Optional.of(rotated));
            }));
    }

    /** Why the refresh token with this hash cannot be exchanged. */
    public Future<Refusal> explainRefusal(byte[] hash) {
        Tuple key = Tuple.of(Buffer.buffer(hash));
        return pool.preparedQuery(FIND_CURRENT).execute(key).compose(rows -> {
            if (rows.size() > 0) {
                Row row = rows.iterator().next();
                return Future.succeededFuture(new Refusal.Current(row.getUUID(0), row.getBoolean(1), row.getBoolean(2),
                    row.getBoolean(3)));
            }
            return pool.preparedQuery(FIND_SPENT).execute(key).map(spent -> spent.size() > 0
                ? new Refusal.Spent(spent.iterator().next().getUUID(0))
                : new Refusal.Unknown());
        });
    }

    /** Revokes one session, whoever owns it (if not already); its id, or empty if there is no such session. */
    public Future<List<UUID>> revokeFamily(UUID sessionId, String reason) {
        return pool.preparedQuery(REVOKE_FAMILY).execute(Tuple.of(sessionId, reason)).map(SessionRepository::ids);
    }

    /** Revokes one of this user's sessions (if not already); empty if they have no such session. */
    public Future<List<UUID>> revokeOneOf(UUID userId, UUID sessionId, String reason) {
        return pool.preparedQuery(REVOKE_ONE_OF).execute(Tuple.of(sessionId, userId, reason)).map(SessionRepository::ids);
    }

    /**
     * Revokes every session of the user but {@code except} (null: all); the ids revoked now, and
     * those revoked recently (whose access tokens may still be alive).
     */
    public Future<List<UUID>> revokeAllOf(UUID userId, UUID except, String reason) {
        return revokeAllOf(pool, userId, except, reason);
    }

    /** Disables the account and revokes all its sessions, in one transaction; NOT_FOUND if no such user (or deleted). */
    public Future<List<UUID>> disable(UUID userId, String reason) {
        return pool.withTransaction(client -> client.preparedQuery(SET_DISABLED).execute(Tuple.of(userId))
            .compose(rows -> rows.rowCount() == 1
                ? revokeAllOf(client, userId, null, reason)
                : Future.failedFuture(new QuizException(ErrorCode.NOT_FOUND, "No such user."))));
    }

    /**
     * Gives the sessions the account's disabling ended {@code newReason} instead (they stay ended)
     * and returns those still within {@code window}: their access tokens may still be alive.
     */
    public Future<List<UUID>> renameRevocations(UUID userId, String oldReason, String newReason, Duration window) {
        return pool.preparedQuery(RENAME_REVOCATIONS).execute(Tuple.of(userId, oldReason, newReason, (double) window.toSeconds()))
            .map(SessionRepository::ids);
    }

    /**
     * Replaces the password hash, if it is still {@code expectedHash}, and revokes every other
     * session of the user, in one transaction. Empty if the hash had changed meanwhile.
     */
    public Future<Optional<List<UUID>>> changePassword(UUID userId, String expectedHash, String newHash, UUID keep,
                                                       String reason) {
        return pool.withTransaction(client -> client.preparedQuery(SET_PASSWORD).execute(Tuple.of(userId, expectedHash, newHash))
            .compose(rows -> rows.rowCount() == 1
                ? revokeAllOf(client, userId, keep, reason).map(Optional::of)
                : Future.succeededFuture(Optional.<List<UUID>>empty())));
    }

    /** The user's sessions that are neither revoked nor expired, most recently used first. */
    public Future<List<SessionInfo>> listLive(UUID userId) {
        return pool.preparedQuery(LIST_LIVE).execute(Tuple.of(userId)).map(rows -> {
            List<SessionInfo> sessions = new ArrayList<>();
            for (Row row : rows) {
                sessions.add(new SessionInfo(row.getUUID("id"), row.getOffsetDateTime("created_at").toInstant(),
                    row.getOffsetDateTime("last_used_at").toInstant(), row.getOffsetDateTime("expires_at").toInstant(),
                    row.getString("user_agent"), row.getString("client_address")));
            }
            return sessions;
        });
    }

    /**
     * The sessions revoked within the last {@code window} (those whose access tokens may still be
     * alive), each with the reason it was revoked for.
     */
    public Future<Map<UUID, String>> revokedWithin(Duration window) {
        return pool.preparedQuery(REVOKED_SINCE).execute(Tuple.of((double) window.toSeconds())).map(rows -> {
            Map<UUID, String> revoked = new LinkedHashMap<>();
            rows.forEach(row -> revoked.put(row.getUUID(0), row.getString(1)));
            return revoked;
        });
    }

    /**
     * Whether {@code sessionId} holds, and its account's role: a revoked session has its revocation
     * reason ({@code ""} if none was given), as has one that does not exist (its user deleted, or
     * never issued here); a live one its account's current role.
     */
    public Future<Standing> standing(UUID sessionId) {
        return pool.preparedQuery(STANDING).execute(Tuple.of(sessionId)).map(rows -> {
            if (rows.size() == 0) {
                return new Standing("", null);
            }
            Row row = rows.iterator().next();
            return row.getBoolean(0) ? new Standing(Objects.requireNonNullElse(row.getString(1), ""), null)
                : new Standing(null, Role.fromWireName(row.getString(2)));
        });
    }

    /** A session as a token check needs it: revoked (with the reason), or live with its account's role. */
    public record Standing(String revokedReason, Role role) {
    }

    private Future<List<UUID>> revokeAllOf(SqlClient client, UUID userId, UUID except, String reason) {
        return client.preparedQuery(REVOKE_ALL_OF).execute(Tuple.of(userId, reason, except, recentSeconds))
            .map(SessionRepository::ids);
    }

    private static List<UUID> ids(RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getUUID(0)));
        return ids;
    }
}
