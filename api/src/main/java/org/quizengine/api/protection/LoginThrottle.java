package org.quizengine.api.protection;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.RedisAPI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.quizengine.api.storage.StoreOutage;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed logins in Redis, across the cluster, and says when further attempts must be refused
 * without checking the password. Three counters, each over a fixed window ({@link LoginThrottleOptions}):
 *
 * <ul>
 *   <li><b>login name + address</b> (default 5): stops one client guessing one account, and is the
 *       counter a legitimate user is most likely to trip; their successful login resets it.</li>
 *   <li><b>login name</b> from any address (default 20): stops guessing spread over many addresses.</li>
 *   <li><b>address</b> for any login name (default 50): stops one client trying many accounts.</li>
 * </ul>
 *
 * <p>The trade-off: an attacker who controls several addresses can fail a victim's login name often
 * enough to lock it for everyone for one window (the price of stopping distributed guessing at
 * all). From a single address they cannot: its own login-name + address counter stops them first,
 * at a quarter of the account-wide limit. Only the login-name + address counter is reset by a
 * success, so an attacker's own account cannot be used to clear the address or account counters.
 *
 * <p>Counters are keyed by account ({@link Subject#account}): a username and its email address
 * share every counter, and so do password changes and account deletions, so no limit doubles by
 * typing the other name. A login name that names no account is keyed by the name as typed
 * (case-folded, as the account lookup compares; {@link Subject#unknown}), so unknown names are throttled exactly like real
 * ones and the throttle tells nothing about which accounts exist. What it can tell: someone who has
 * failed one name of an account often enough to lock it sees the lock on its other name too, so
 * learns that the two belong together; that someone can lock the account anyway, and a limit that
 * doubles for every guesser is the greater harm. Keys hold a hash of the subject, never an email
 * address. When Redis does not answer, logins are not throttled ({@link FailOpen}); the slow
 * password hash still limits guessing.
 *
 * <p>Every attempt is counted before its password is checked, in the same script that checks the
 * counters, and a success takes its count back: so attempts sent in parallel cannot all pass a
 * check before any of them is counted. The keys of one attempt are used in one script, so this
 * needs a single Redis (or one slot).
 *
 * <p>Only a refused password counts: an attempt whose check could not be made because PostgreSQL
 * (or Redis) was down is given back like a success, so an outage never locks anyone out.
 */
public final class LoginThrottle {
    static final String KEY_PREFIX = "quiz:login-failures:";
    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    private final WindowCounters counters;
    private final LoginThrottleOptions options;
    private final List<Integer> limits;
    private final FailOpen failOpen = new FailOpen(LOG, "Login throttling");

    public LoginThrottle(RedisAPI redis, LoginThrottleOptions options) {
        this.counters = new WindowCounters(redis);
        this.options = Objects.requireNonNull(options, "options");
        this.limits = List.of(options.failuresPerAccountAndAddress(), options.failuresPerAccount(),
            options.failuresPerAddress());
    }

    /** Whose failures an attempt counts against: an account, or a login name that names none. */
    public record Subject(String key) {
        public static Subject account(UUID accountId) {
            return new Subject("account:" + accountId);
        }

        public static Subject unknown(String login) {
            // Folded as the account lookup compares names (case only, no trimming): a name differing only
            // in spaces is another unknown name, as it would be another account.
            return new Subject("name:" + login.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Counts an attempt by {@code login} from {@code address} before its password is checked, unless
     * a counter is full: then the answer is how long it must wait, and nothing is counted. Zero: go
     * ahead. Never fails.
     */
    public Future<Duration> reserve(Subject login, String address) {
        return counters.reserve(keys(login, address), limits, options.window())
            .recover(failure -> {
                failOpen.report(failure);
                return Future.succeededFuture(Duration.ZERO);
            });
    }

    /**
     * The attempt reserved for {@code login} from {@code address} succeeded: this client's failures
     * for this login name are forgiven, and the attempt no longer counts against the login name or
     * the address (their failures stay). Never fails.
     */
    public Future<Void> succeeded(Subject login, String address) {
        List<String> keys = keys(login, address);
        return counters.delete(keys.get(0))
            .compose(v -> counters.giveBack(keys.subList(1, 3), limits.subList(1, 3)))
            .recover(this::ignore);
    }

    /**
     * The attempt reserved for {@code login} from {@code address} could not be checked (a store was
     * down): it is not a failure, so it no longer counts anywhere; earlier failures stay. Never fails.
     */
    public Future<Void> notChecked(Subject login, String address) {
        return counters.giveBack(keys(login, address), limits).recover(this::ignore);
    }

    /**
     * Runs {@code check} (anything that tries a password: a login, a password change, an account
     * deletion) counted as an attempt by {@code login} from the request's client address. A throttled
     * attempt fails with LOGIN_THROTTLED and a {@code Retry-After} header, without running
     * {@code check}; one whose check succeeds is given back, and so is one whose check could not be
     * made because a store was down ({@link StoreOutage}): only a refusal counts.
     */
    public <T> Future<T> attempt(RoutingContext ctx, Subject login, Supplier<Future<T>> check) {
        String address = ClientAddress.of(ctx);
        return reserve(login, address).compose(wait -> {
            if (!wait.isZero()) {
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                return Future.failedFuture(new QuizException(ErrorCode.LOGIN_THROTTLED,
                    "Too many wrong passwords; try again in " + seconds + " s."));
            }
            return check.get().compose(
                result -> succeeded(login, address).map(result),
                failure -> StoreOutage.isOutage(failure)
                    ? notChecked(login, address).compose(v -> Future.<T>failedFuture(failure))
                    : Future.failedFuture(failure));
        });
    }

    private Future<Void> ignore(Throwable failure) {
        failOpen.report(failure);
        return Future.succeededFuture();
    }

    private static List<String> keys(Subject login, String address) {
        String account = digest(login.key());
        return List.of(
            KEY_PREFIX + "account-address:" + account + ":" + address,
            KEY_PREFIX + "account:" + account,
            KEY_PREFIX + "address:" + address);
    }

    // Keeps email addresses out of Redis and keys short, whatever was typed.
    private static String digest(String subject) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
