package org.quizengine.api.protection;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
 * <p>Counters are keyed by the login name as typed (trimmed, case-folded, hashed), never by a
 * looked-up account, so unknown names are throttled exactly like real ones and the throttle tells
 * nothing about which accounts exist. The price is that a username and its email address count
 * separately. When Redis does not answer, logins are not throttled ({@link FailOpen}); the slow
 * password hash still limits guessing.
 *
 * <p>A failure is counted when its answer is known, so attempts already in flight when a counter
 * fills are still checked: a client sending in parallel gets at most that many extra guesses.
 * The keys of one check are read in one script, so this needs a single Redis (or one slot).
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

    /** How long {@code login} from {@code address} must wait; zero when it may try now. Never fails. */
    public Future<Duration> retryAfter(String login, String address) {
        return counters.waitUntilBelow(keys(login, address), limits)
            .recover(failure -> {
                failOpen.report(failure);
                return Future.succeededFuture(Duration.ZERO);
            });
    }

    /** Records a wrong password (or unknown login name). Never fails. */
    public Future<Void> failed(String login, String address) {
        return counters.add(keys(login, address), limits, options.window()).recover(this::ignore);
    }

    /** Records a successful login: this client's failures for this login name are forgiven. Never fails. */
    public Future<Void> succeeded(String login, String address) {
        return counters.delete(keys(login, address).get(0)).recover(this::ignore);
    }

    private Future<Void> ignore(Throwable failure) {
        failOpen.report(failure);
        return Future.succeededFuture();
    }

    private static List<String> keys(String login, String address) {
        String account = digest(login.trim().toLowerCase(Locale.ROOT));
        return List.of(
            KEY_PREFIX + "account-address:" + account + ":" + address,
            KEY_PREFIX + "account:" + account,
            KEY_PREFIX + "address:" + address);
    }

    // Keeps email addresses out of Redis and keys short, whatever was typed.
    private static String digest(String login) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(login.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
