package org.quizengine.engine.cluster;

import com.hazelcast.core.IndeterminateOperationStateException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the engine's shared maps, made again when Hazelcast could not tell whether they took.
 *
 * <p>The cluster runs with {@code fail.on.indeterminate.state} (see {@link HazelcastSetup}): a write
 * whose backup copy does not acknowledge it fails with {@link IndeterminateOperationStateException}
 * instead of passing for done. That is what stops a node woken from a freeze, whose backups no longer
 * count it as a member. But it is also what every write in flight to a partition whose backup sat on
 * a node that has just been killed gets, on the nodes that live on. Those writes are idempotent (a
 * put, a remove, or a match's {@code RecordWrite}, which succeeds if its effect is already stored), so they
 * are made again a moment later, once Hazelcast has given the partition a new backup; a woken node's
 * writes keep failing, and it gives up after {@link #DELAYS_MILLIS} (a match's writes stop sooner:
 * {@code Replication} checks before each attempt that the node still sees at least half the members
 * it saw, and its quorum).
 *
 * <p>{@link #retriedOrTimedOut} also counts a write with no outcome after
 * {@link #ATTEMPT_TIMEOUT_MILLIS} as indeterminate. The chaos run saw a write sent to a frozen member
 * hang for two minutes (Hazelcast's operation heartbeat timeout) after the member was removed and had
 * rejoined from the same address, and its match with it; the write made again goes to the
 * partition's new owner. Only writes that cannot do harm landing late may be given up like that: a
 * match's {@code RecordWrite}, which changes nothing if it lands after newer ones. A plain put given
 * up could land after a newer write and undo it, so plain writes wait for Hazelcast's own answer.
 * In the worst case (every attempt timing out) a write is given up after about 45 s.
 */
public final class IndeterminateWrites {
    private static final Logger LOG = LoggerFactory.getLogger(IndeterminateWrites.class);
    /** The waits before each new attempt: about 3 s in all, longer than a migration after a kill takes. */
    private static final long[] DELAYS_MILLIS = {50, 100, 200, 400, 800, 1_600};
    /** Longer than a write waits for its backup's acknowledgement (HazelcastSetup's backup timeout). */
    static final long ATTEMPT_TIMEOUT_MILLIS = 6_000;

    private IndeterminateWrites() {
    }

    /**
     * Runs {@code write}, and again while it fails because its outcome was indeterminate. Call it on a
     * Vert.x context: the first attempt runs at once on the caller's thread, later ones on its context,
     * and the outcome completes there.
     */
    public static <T> Future<T> retried(Vertx vertx, Supplier<Future<T>> write) {
        Promise<T> done = Promise.promise();
        attempt(vertx, vertx.getOrCreateContext(), write, false, 0, done);
        return done.future();
    }

    /**
     * As {@link #retried}, and an attempt without an outcome after {@link #ATTEMPT_TIMEOUT_MILLIS} is
     * made again too: only for a write that is refused if it lands after a newer one.
     */
    public static <T> Future<T> retriedOrTimedOut(Vertx vertx, Supplier<Future<T>> write) {
        Promise<T> done = Promise.promise();
        attempt(vertx, vertx.getOrCreateContext(), write, true, 0, done);
        return done.future();
    }

    private static <T> void attempt(Vertx vertx, Context context, Supplier<Future<T>> write, boolean timed, int tried,
                                    Promise<T> done) {
        long began = System.nanoTime();
        Future<T> attempt;
        try {
            attempt = write.get();
        } catch (Throwable e) {
            attempt = Future.failedFuture(e); // e.g. Hazelcast shut down: a failure to report, not to throw from a timer
        }
        if (attempt == null) {
            attempt = Future.failedFuture(new IllegalStateException("the write returned no future"));
        }
        // The timeout is a timer of our own: a future's own timeout fires off the writer's context
        // when the write's promise has none, and the next attempt would then run there too.
        Promise<T> outcome = Promise.promise();
        long timer = timed ? vertx.setTimer(ATTEMPT_TIMEOUT_MILLIS, id -> on(context, () -> outcome.tryFail(
            new TimeoutException("no outcome after " + ATTEMPT_TIMEOUT_MILLIS + " ms")))) : -1;
        attempt.onComplete(result -> on(context, () -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            if (result.succeeded()) {
                outcome.tryComplete(result.result());
            } else {
                outcome.tryFail(result.cause());
            }
        }));
        outcome.future().onComplete(result -> {
            Throwable failure = result.cause();
            boolean again = result.failed() && tried < DELAYS_MILLIS.length
                && (indeterminate(failure) || (timed && failure instanceof TimeoutException));
            if (again) {
                LOG.warn("A write to the cluster's maps had no outcome after {} ms ({}); making it again in {} ms (attempt {} of {})",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), reason(failure), DELAYS_MILLIS[tried],
                    tried + 2, DELAYS_MILLIS.length + 1);
                vertx.setTimer(DELAYS_MILLIS[tried], id -> on(context, () -> attempt(vertx, context, write, timed, tried + 1, done)));
            } else {
                done.handle(result);
            }
        });
    }

    private static void on(Context context, Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /** The indeterminate cause's message, or the timeout's: what the log says the write met. */
    private static String reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IndeterminateOperationStateException || cause instanceof TimeoutException) {
                return cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
        }
        return String.valueOf(failure);
    }

    /** Whether {@code failure}, or anything it wraps, is Hazelcast's "the backup did not answer". */
    public static boolean indeterminate(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IndeterminateOperationStateException) {
                return true;
            }
        }
        return false;
    }
}
