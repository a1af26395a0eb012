package org.quizengine.engine.cluster;

import com.hazelcast.core.IndeterminateOperationStateException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Writes to the engine's shared maps, made again when Hazelcast could not tell whether they took.
 *
 * <p>The cluster runs with {@code fail.on.indeterminate.state} (see {@link HazelcastSetup}): a write
 * whose backup copy does not acknowledge it fails with {@link IndeterminateOperationStateException}
 * instead of passing for done. That is what stops a node woken from a freeze, whose backups no longer
 * count it as a member. But it is also what every write in flight to a partition whose backup sat on
 * a node that has just been killed gets, on the nodes that live on. Those writes are idempotent (a
 * put, a remove, or a {@code FencedWrite} that succeeds if its record is already stored), so they
 * are made again a moment later, once Hazelcast has given the partition a new backup; a woken node's
 * writes keep failing, and it gives up after {@link #DELAYS_MILLIS}.
 *
 * <p>A write with no outcome after {@link #ATTEMPT_TIMEOUT_MILLIS} counts as indeterminate too. The
 * chaos run saw a write sent to a frozen member hang for two minutes (Hazelcast's operation heartbeat
 * timeout) after the member was removed and had rejoined from the same address, and its match with
 * it; the write made again goes to the partition's new owner. Should the first one still land, it
 * lands first or is refused as older ({@code FencedWrite} keeps a match's versions in order).
 */
public final class IndeterminateWrites {
    /** The waits before each new attempt: about 3 s in all, longer than a migration after a kill takes. */
    private static final long[] DELAYS_MILLIS = {50, 100, 200, 400, 800, 1_600};
    /** Longer than a write waits for its backup's acknowledgement (HazelcastSetup's backup timeout). */
    static final long ATTEMPT_TIMEOUT_MILLIS = 6_000;

    private IndeterminateWrites() {
    }

    /** Runs {@code write}, and again while it fails because its outcome was indeterminate. */
    public static <T> Future<T> retried(Vertx vertx, Supplier<Future<T>> write) {
        Promise<T> done = Promise.promise();
        attempt(vertx, write, 0, done);
        return done.future();
    }

    private static <T> void attempt(Vertx vertx, Supplier<Future<T>> write, int tried, Promise<T> done) {
        write.get().timeout(ATTEMPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).onComplete(outcome -> {
            if (outcome.succeeded() || !indeterminate(outcome.cause()) || tried >= DELAYS_MILLIS.length) {
                done.handle(outcome);
            } else {
                vertx.setTimer(DELAYS_MILLIS[tried], id -> attempt(vertx, write, tried + 1, done));
            }
        });
    }

    /** Whether {@code failure}, or anything it wraps, is Hazelcast's "the backup did not answer", or no answer at all. */
    public static boolean indeterminate(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IndeterminateOperationStateException || cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
