package org.quizengine.engine.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IndeterminateOperationStateException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops waiting for a write that a member's death may have stranded. A write made in the moment a
 * member holding the backup of its partition is killed can wait for that backup's acknowledgement
 * until Hazelcast's backup timeout (5 s, {@link HazelcastSetup}): the chaos run's kill -9 caught a
 * match on a surviving node in such a write, and its players heard nothing for 5.8 s. Hazelcast
 * releases the writes in flight when it removes the member, but that one had been sent 10 ms
 * before this node saw the member leave (presumably on a partition table that still named it).
 *
 * <p>So a write still without an outcome {@link #GIVE_UP_MILLIS} after a member left, or after it
 * began if it began within {@link #UNSETTLED_MILLIS} of a departure, fails as indeterminate, and
 * {@link IndeterminateWrites} makes it again: by then the partition usually has a live backup. Only for writes
 * that may be made again and change nothing when they land late: a match's record writes other than
 * its creation.
 */
public final class StalledWrites {
    /**
     * A write normally takes milliseconds. One made again a second later usually finds a partition
     * table without the dead member; if not, the caller bounds how often it gives a write up this way
     * ({@code ClusteredReplication}: twice), and after that waits as for any write.
     */
    static final long GIVE_UP_MILLIS = 1_000;
    /** How long after a departure a new write may still wait on the dead member's backup acknowledgement. */
    static final long UNSETTLED_MILLIS = 5_000;

    private final Vertx vertx;
    private final long giveUpMillis;
    private final long unsettledNanos;
    private final Set<Pending<?>> pending = ConcurrentHashMap.newKeySet();
    /** When ({@link System#nanoTime()}) a member last left; meaningful once {@link #departed} is true. */
    private volatile long lastDepartureNanos;
    private volatile boolean departed;

    public StalledWrites(Vertx vertx, HazelcastInstance hazelcast) {
        this(vertx, hazelcast, GIVE_UP_MILLIS, UNSETTLED_MILLIS);
    }

    StalledWrites(Vertx vertx, HazelcastInstance hazelcast, long giveUpMillis, long unsettledMillis) {
        this.vertx = vertx;
        this.giveUpMillis = giveUpMillis;
        this.unsettledNanos = unsettledMillis * 1_000_000;
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                lastDepartureNanos = System.nanoTime();
                departed = true;
                pending.forEach(Pending::giveUpSoon);
            }
        });
    }

    /**
     * {@code write}'s outcome, or an {@link IndeterminateOperationStateException} if a member leaves
     * while it has none and it still has none {@link #GIVE_UP_MILLIS} later (or if it began within
     * {@link #UNSETTLED_MILLIS} of a departure and has none that long after it began). Call on the
     * writer's context, with a write that completes on it; the outcome completes there too.
     */
    public <T> Future<T> bounded(Future<T> write) {
        Pending<T> waiting = new Pending<>(vertx.getOrCreateContext());
        pending.add(waiting);
        waiting.outcome.future().onComplete(done -> pending.remove(waiting));
        write.onComplete(waiting::settle);
        if (departed && System.nanoTime() - lastDepartureNanos < unsettledNanos) {
            waiting.giveUpSoon();
        }
        return waiting.outcome.future();
    }

    /** What a write given up here fails with: indeterminate, so it is made again. */
    public static final class GaveUp extends IndeterminateOperationStateException {
        GaveUp(long millis) {
            super("no outcome " + millis + " ms after a member left the cluster, or after it began just after one left");
        }
    }

    private final class Pending<T> {
        private final Context context;
        private final Promise<T> outcome = Promise.promise();
        private final AtomicBoolean armed = new AtomicBoolean();
        private volatile long timer = -1;

        Pending(Context context) {
            this.context = context;
        }

        /** Arms the give-up once; may run on a Hazelcast thread, so the failure goes through the writer's context. */
        void giveUpSoon() {
            if (!outcome.future().isComplete() && armed.compareAndSet(false, true)) {
                timer = vertx.setTimer(giveUpMillis, id -> context.runOnContext(v -> outcome.tryFail(new GaveUp(giveUpMillis))));
            }
        }

        void settle(AsyncResult<T> done) {
            long armedTimer = timer;
            if (armedTimer >= 0) {
                vertx.cancelTimer(armedTimer);
            }
            if (done.succeeded()) {
                outcome.tryComplete(done.result());
            } else {
                outcome.tryFail(done.cause());
            }
        }
    }
}
