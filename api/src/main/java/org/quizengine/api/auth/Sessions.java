package org.quizengine.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.quizengine.api.storage.OncePerMinute;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.Wire;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.bus.SessionsRevoked;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in sessions: each register or login opens one, with a short-lived access token (a JWT whose
 * {@code sid} names the session) and a long-lived, opaque refresh token stored only as its SHA-256.
 *
 * <p>Refreshing rotates: the presented token is spent and a new one issued for the same session.
 * A spent token presented again is reuse (a stolen token, or a client replaying one): the whole
 * session is revoked at once, so neither the thief's nor the owner's newest tokens work any more.
 *
 * <p>Revocation holds on every node at once. PostgreSQL records it; Redis marks each session
 * revoked or live ({@link SessionMarks}), for as long as an access token lives, and every node
 * checks the marks on each authenticated request and WebSocket upgrade; and a message on
 * {@link Addresses#SESSIONS_REVOKED}, published to every node, closes the live sockets of those
 * sessions. A session without a mark (never issued, or Redis lost its data) and a check Redis
 * cannot answer ask PostgreSQL; if neither answers, the request is refused with
 * SERVICE_UNAVAILABLE rather than let a possibly revoked token through.
 *
 * <p>The live mark carries the account's current role, so a role an admin changes holds on the
 * next request, whatever role the token was issued with.
 */
public final class Sessions {
    public static final String REVOKED_KEY_PREFIX = SessionMarks.REVOKED_PREFIX;
    /** The revocation reason stored with the sessions of a disabled account. */
    static final String DISABLED_REASON = "account disabled";
    /** What a disabled account's ended sessions are marked with once it is enabled again. */
    static final String REENABLED_REASON = "account disabled, since enabled again";
    /** A refresh token: 256 random bits, base64url without padding. */
    public static final int REFRESH_TOKEN_BYTES = 32;
    // Nodes' clocks may differ a little: keep the mark a bit longer than a token can live.
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final Pattern REFRESH_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final Vertx vertx;
    private final AuthOptions options;
    private final TokenService tokens;
    private final PasswordHasher hasher;
    private final UserRepository users;
    private final SessionRepository repository;
    private final SessionMarks marks;
    private final Duration markTtl;
    private final SecureRandom random = new SecureRandom();
    private final OncePerMinute redisWarnings = new OncePerMinute();
    private long markTimer = -1;

    public Sessions(Vertx vertx, AuthOptions options, TokenService tokens, PasswordHasher hasher, UserRepository users,
                    SessionRepository repository, RedisAPI redis) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.options = options.validate();
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.users = Objects.requireNonNull(users, "users");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.markTtl = options.accessTokenTtl().plus(CLOCK_SKEW);
        this.marks = new SessionMarks(redis, markTtl);
    }

    /** What a client is told when it signs in or refreshes: the account, both tokens, their expiries. */
    public record Issued(UserAccount account, UUID sessionId, AccessToken accessToken, String refreshToken,
                         Instant refreshExpiresAt) {
        @Override
        public String toString() {
            return "Issued[account=" + account + ", sessionId=" + sessionId + ", refreshToken=(hidden)]";
        }
    }

    /** Where a sign-in came from, for the owner's list of sessions. Either may be null. */
    public record Client(String userAgent, String address) {
        private static final int MAX_LENGTH = 256;

        public Client {
            userAgent = clip(userAgent);
            address = clip(address);
        }

        private static String clip(String text) {
            return text == null || text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH);
        }
    }

    /** The signer and verifier of access tokens, for checks that need no session (choosing a rate-limit counter). */
    public TokenService tokens() {
        return tokens;
    }

    /**
     * The user an access token speaks for, with the account's current role, if its signature, expiry
     * and session hold: a token of a revoked or never-issued session fails with SESSION_REVOKED, one
     * of a disabled account with ACCOUNT_DISABLED.
     */
    public Future<AuthenticatedUser> authenticate(String accessToken) {
        return tokens.verify(accessToken).compose(user -> check(user.sessionId(), user.userId()).compose(mark -> {
            if (mark.revoked() == null) {
                return Future.succeededFuture(mark.role() == user.role() ? user
                    : new AuthenticatedUser(user.userId(), user.username(), mark.role(), user.sessionId()));
            }
            return mark.revoked() == ErrorCode.ACCOUNT_DISABLED
                ? fail(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.")
                : fail(ErrorCode.SESSION_REVOKED, "This session has ended (signed out, or revoked); sign in again.");
        }));
    }

    /**
     * Gives the account {@code role}: stored, then marked in Redis for the account, where every node's
     * next check of any of its sessions reads it (over the role its live marks were written with).
     * NOT_FOUND if there is no such user; SERVICE_UNAVAILABLE if Redis could not be told (the role is
     * stored: try again).
     */
    public Future<Void> setRole(UUID userId, Role role) {
        return users.setRole(userId, role)
            .compose(v -> marks.markRole(userId, role)
                .transform(marked -> marked.succeeded() ? Future.<Void>succeededFuture()
                    : fail(ErrorCode.SERVICE_UNAVAILABLE, "The role is changed, but not every server may know yet; try again.")));
    }

    /** Opens a new session for an account whose password was just checked (or that was just created). */
    public Future<Issued> open(UserAccount account, Client client) {
        UUID sessionId = UUID.randomUUID();
        String refreshToken = newRefreshToken();
        return repository.open(sessionId, account.id(), sha256(refreshToken), options.refreshTokenTtl(),
                client.userAgent(), client.address())
            .compose(expiry -> expiry.isPresent()
                ? Future.succeededFuture(issue(account, sessionId, refreshToken, expiry.get()))
                : Future.failedFuture(new QuizException(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.")));
    }

    /**
     * Exchanges a refresh token for a new one and a new access token, in the same session. Fails with
     * INVALID_REFRESH_TOKEN (malformed or unknown), REFRESH_TOKEN_EXPIRED, SESSION_REVOKED,
     * ACCOUNT_DISABLED, or REFRESH_TOKEN_REUSED (after revoking the session).
     */
    public Future<Issued> refresh(String refreshToken, Client client) {
        if (refreshToken == null || !REFRESH_TOKEN.matcher(refreshToken).matches()) {
            return fail(ErrorCode.INVALID_REFRESH_TOKEN, "The refresh token is malformed.");
        }
        byte[] presented = sha256(refreshToken);
        String next = newRefreshToken();
        return repository.rotate(presented, sha256(next), options.refreshTokenTtl(), client.userAgent(), client.address())
            .compose(rotated -> rotated.isPresent() ? issueRotated(rotated.get(), next) : refuse(presented));
    }

    /** Ends one session (logout), wherever its tokens and sockets are. */
    public Future<Void> revoke(UUID sessionId) {
        return repository.revokeFamily(sessionId, "logout")
            .compose(ids -> announce(ids, ErrorCode.SESSION_REVOKED, "You signed out."));
    }

    /** Ends one of this user's sessions; NOT_FOUND if they have no such session (someone else's included). */
    public Future<Void> revokeOneOf(UUID userId, UUID sessionId) {
        return repository.revokeOneOf(userId, sessionId, "revoked by owner").compose(ids -> ids.isEmpty()
            ? fail(ErrorCode.NOT_FOUND, "No such session.")
            : announce(ids, ErrorCode.SESSION_REVOKED, "This session was ended from another device."));
    }

    /**
     * Revokes every session of the user and closes their live connections on every node: what
     * deleting an account calls. Call it while the user's row still exists (before a
     * {@code DELETE FROM users}, whose cascade removes the sessions this needs to find); it is
     * idempotent, so calling it again later is harmless. Fails with SERVICE_UNAVAILABLE if Redis
     * could not record it (the sessions are still revoked in PostgreSQL and their sockets closed).
     */
    public Future<Void> revokeAllOf(UUID userId) {
        return revokeAllOf(userId, "all sessions revoked", "All your sessions were ended.");
    }

    /** Logout everywhere: every session of the user, this one included. */
    public Future<Void> logoutEverywhere(UUID userId) {
        return revokeAllOf(userId, "logout everywhere", "You signed out everywhere.");
    }

    /** Disables an account: refuses its logins and refreshes, ends its sessions and live connections. */
    public Future<Void> disable(UUID userId) {
        return repository.disable(userId, DISABLED_REASON)
            .compose(ids -> announce(ids, ErrorCode.ACCOUNT_DISABLED, "This account was disabled."));
    }

    /**
     * Lets a disabled account sign in again. Its old sessions stay ended, but their tokens are now
     * refused as ended sessions (SESSION_REVOKED), no longer as a disabled account's.
     */
    public Future<Void> enable(UUID userId) {
        return users.setDisabled(userId, false)
            .compose(v -> repository.renameRevocations(userId, DISABLED_REASON, REENABLED_REASON, markTtl))
            .compose(ids -> Future.all(ids.stream().map(id -> mark(id, ErrorCode.SESSION_REVOKED)).toList()))
            .mapEmpty();
    }

    /**
     * Changes the signed-in user's password: WRONG_PASSWORD if {@code currentPassword} is wrong
     * (nothing changes); otherwise stores the new hash and ends every other session of the user.
     */
    public Future<Void> changePassword(AuthenticatedUser user, String currentPassword, String newPassword) {
        return users.findById(user.userId())
            .compose(found -> found.isPresent()
                ? Future.succeededFuture(found.get())
                : fail(ErrorCode.UNAUTHORIZED, "The account for this token no longer exists."))
            .compose(account -> hasher.verify(currentPassword, account.passwordHash()).compose(matches -> matches
                ? hasher.hash(newPassword).compose(newHash -> repository.changePassword(account.id(),
                    account.passwordHash(), newHash, user.sessionId(), "password changed"))
                : fail(ErrorCode.WRONG_PASSWORD, "The current password is wrong.")))
            .compose(revoked -> revoked.isPresent()
                ? announce(revoked.get(), ErrorCode.SESSION_REVOKED, "Your password was changed; sign in again.")
                // Someone changed it between our read and our write: the password given is no longer current.
                : fail(ErrorCode.WRONG_PASSWORD, "The current password is wrong."));
    }

    /** The user's live sessions, most recently used first. */
    public Future<List<SessionRepository.SessionInfo>> listOf(UUID userId) {
        return repository.listLive(userId);
    }

    private Future<Void> revokeAllOf(UUID userId, String reason, String told) {
        return repository.revokeAllOf(userId, null, reason).compose(ids -> announce(ids, ErrorCode.SESSION_REVOKED, told));
    }

    private Future<Issued> issueRotated(SessionRepository.Rotated rotated, String refreshToken) {
        return users.findById(rotated.userId()).compose(account -> account.isPresent()
            ? Future.succeededFuture(issue(account.get(), rotated.sessionId(), refreshToken, rotated.refreshExpiresAt()))
            : fail(ErrorCode.INVALID_REFRESH_TOKEN, "The refresh token's account no longer exists."));
    }

    private Issued issue(UserAccount account, UUID sessionId, String refreshToken, Instant refreshExpiresAt) {
        AccessToken access = tokens.issue(account.id(), account.username(), account.role(), sessionId);
        // Spares the first check a PostgreSQL read; a failed mark only means that it makes it.
        marks.markLive(sessionId, account.role());
        return new Issued(account, sessionId, access, refreshToken, refreshExpiresAt);
    }

    private Future<Issued> refuse(byte[] presented) {
        return repository.explainRefusal(presented).compose(refusal -> {
            if (refusal instanceof SessionRepository.Refusal.Current current) {
                if (current.disabled()) {
                    return fail(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.");
                }
                if (current.revoked()) {
                    return fail(ErrorCode.SESSION_REVOKED, "This session has ended; sign in again.");
                }
                return fail(ErrorCode.REFRESH_TOKEN_EXPIRED, "The refresh token has expired; sign in again.");
            }
            if (refusal instanceof SessionRepository.Refusal.Spent spent) {
                LOG.warn("Refresh token reuse in session {}: revoking the session", spent.sessionId());
                return repository.revokeFamily(spent.sessionId(), "refresh token reuse")
                    .compose(ids -> announce(ids, ErrorCode.SESSION_REVOKED,
                        "This session was ended because an old refresh token was used again."))
                    .transform(done -> fail(ErrorCode.REFRESH_TOKEN_REUSED,
                        "This refresh token was already used; the session has been ended. Sign in again."));
            }
            return fail(ErrorCode.INVALID_REFRESH_TOKEN, "The refresh token is not known.");
        });
    }

    /**
     * Writes the Redis mark again for every session revoked within an access token's life: marks
     * lost to a Redis restart, or never written because Redis failed at the time, come back within
     * one period on every node, so a revoked session's access tokens stop working even then.
     * Idempotent; run it on a timer ({@link #keepMarks}).
     */
    public Future<Integer> remarkRecentlyRevoked() {
        return repository.revokedWithin(markTtl).compose(revoked -> {
            if (revoked.isEmpty()) {
                return Future.succeededFuture(0);
            }
            List<Future<?>> marks = new ArrayList<>();
            revoked.forEach((id, reason) -> marks.add(mark(id, codeFor(reason))));
            return Future.all(marks).map(revoked.size());
        });
    }

    /**
     * The Redis mark of a revoked session: its value is the code a token of it is refused with
     * (ACCOUNT_DISABLED, else SESSION_REVOKED).
     */
    private Future<?> mark(UUID sessionId, ErrorCode code) {
        return marks.markRevoked(sessionId, code);
    }

    private static ErrorCode codeFor(String revokedReason) {
        return DISABLED_REASON.equals(revokedReason) ? ErrorCode.ACCOUNT_DISABLED : ErrorCode.SESSION_REVOKED;
    }

    /** Runs {@link #remarkRecentlyRevoked} every {@code period} until {@link #stopKeepingMarks}. */
    public void keepMarks(Duration period) {
        stopKeepingMarks();
        markTimer = vertx.setPeriodic(period.toMillis(), id -> remarkRecentlyRevoked()
            .onFailure(e -> LOG.warn("Could not renew the revoked-session marks: {}", e.getMessage())));
    }

    public void stopKeepingMarks() {
        if (markTimer >= 0) {
            vertx.cancelTimer(markTimer);
            markTimer = -1;
        }
    }

    /**
     * The session as Redis marks it, or as PostgreSQL records it when Redis has no mark (then marked
     * live for the next check) or cannot answer: revoked (with the code to refuse it with), or live
     * with the account's current role.
     */
    private Future<SessionMarks.Mark> check(UUID sessionId, UUID userId) {
        // A Redis that hangs (rather than refuses) must not hang every request: PostgreSQL answers then.
        return marks.read(sessionId, userId)
            .timeout(SessionMarks.TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .compose(mark -> mark.unknown() ? recorded(sessionId, true) : Future.succeededFuture(mark), redisDown -> {
                if (redisWarnings.due()) {
                    LOG.warn("Cannot check sessions in Redis ({}); asking PostgreSQL (logged once a minute)",
                        redisDown.toString());
                }
                return recorded(sessionId, false);
            })
            .recover(bothDown -> Future.failedFuture(bothDown instanceof QuizException ? bothDown
                : new QuizException(ErrorCode.SERVICE_UNAVAILABLE, "Sessions cannot be checked right now; try again.")));
    }

    private Future<SessionMarks.Mark> recorded(UUID sessionId, boolean markLive) {
        return repository.standing(sessionId).map(standing -> {
            if (standing.revokedReason() != null) {
                return new SessionMarks.Mark(codeFor(standing.revokedReason()), null);
            }
            if (markLive) {
                marks.markLive(sessionId, standing.role());
            }
            return new SessionMarks.Mark(null, standing.role());
        });
    }

    /**
     * Marks the sessions revoked in Redis, then tells every node to close their sockets. The marks
     * are written first, so a socket opened after the message has gone out is refused by its own
     * check. If Redis cannot be written, the revocation stands in PostgreSQL (refresh is refused)
     * but other nodes might still accept its access tokens: the caller is told to try again.
     */
    private Future<Void> announce(List<UUID> sessionIds, ErrorCode code, String reason) {
        if (sessionIds.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Future<?>> marks = new ArrayList<>();
        for (UUID id : sessionIds) {
            marks.add(mark(id, code));
        }
        return Future.all(marks).transform(written -> {
            vertx.eventBus().publish(Addresses.SESSIONS_REVOKED, Wire.encode(new SessionsRevoked(sessionIds, code.name(), reason)));
            if (written.failed()) {
                LOG.error("Sessions {} are revoked but could not be marked in Redis", sessionIds, written.cause());
                return fail(ErrorCode.SERVICE_UNAVAILABLE,
                    "The session was ended, but not every server may know yet; try again.");
            }
            return Future.succeededFuture();
        });
    }

    private String newRefreshToken() {
        byte[] bytes = new byte[REFRESH_TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static <T> Future<T> fail(ErrorCode code, String detail) {
        return Future.failedFuture(new QuizException(code, detail));
    }
}
