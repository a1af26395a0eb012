package org.quizengine.engine.match;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Replicates one match's steps, in order, for the verticle that runs it: each step's input is
 * appended to the match's record, fenced by the owner's epoch and numbered by the match's version.
 * One write is in flight at a time; steps that come meanwhile go together in the next write, so
 * when writes are slow fewer are made. Every {@link #COMPACT_AFTER_INPUTS} inputs the next write is
 * a whole snapshot instead (a compaction point), so a record, and the replay an adopter makes of it,
 * stay short. Once a write is refused (another node runs the match now) every step after it is
 * refused too. Used on the match's own context only.
 *
 * @param <T> what the caller needs back with each step once it is replicated (or refused)
 */
final class StepReplicator<T> {
    /** Inputs after which the next write is a snapshot: about five questions of a ten-player match. */
    static final int COMPACT_AFTER_INPUTS = 64;

    private final Replication replication;
    private final Match match;
    private final Consumer<T> replicated;
    private final BiConsumer<Throwable, T> refused;
    private Replication.Fence fence;
    /** The match's version the cluster holds: of the last snapshot, plus one per input after it. */
    private long version;
    private long snapshotVersion;
    private final List<MatchInput> unwrittenInputs = new ArrayList<>();
    private final List<T> unwritten = new ArrayList<>();
    private boolean writing;
    private Throwable refusal;
    private final List<Waiter> waiting = new ArrayList<>();

    /**
     * Replicates {@code match}'s steps; {@code replicated} gets each step's payload once its write has
     * succeeded, {@code refused} once it has failed, in the order the steps came.
     */
    StepReplicator(Replication replication, Match match, Consumer<T> replicated, BiConsumer<Throwable, T> refused) {
        this.replication = replication;
        this.match = match;
        this.replicated = replicated;
        this.refused = refused;
    }

    /** Records the match as formed here (epoch 1), from its state now. */
    Future<Void> create(String owner) {
        Future<Void> write = replication.enabled() ? replication.create(owner, match.snapshot()) : Future.succeededFuture();
        return written(write, Replication.Fence.first(owner));
    }

    /**
     * Takes the match over for {@code owner} from the {@code handed} fence, from its state now; the
     * record must still be at {@code handedVersion}, the version it was rebuilt from.
     */
    Future<Void> takeOver(Replication.Fence handed, long handedVersion, String owner) {
        return written(replication.takeOver(handed, handedVersion, owner, match.snapshot()), handed.next(owner));
    }

    private Future<Void> written(Future<Void> write, Replication.Fence writer) {
        long at = match.version();
        return write.onSuccess(v -> {
            fence = writer;
            version = at;
            snapshotVersion = at;
        });
    }

    /** Who writes the match's record: this node, in its epoch; null until the match is recorded. */
    Replication.Fence fence() {
        return fence;
    }

    /** Replicates the step {@code input} has just made on the match; {@code payload} comes back once it is. */
    void replicate(MatchInput input, T payload) {
        if (refusal != null) {
            refused.accept(refusal, payload);
            return;
        }
        unwrittenInputs.add(input);
        unwritten.add(payload);
        if (!writing) {
            writeUnwritten();
        }
    }

    private void writeUnwritten() {
        List<MatchInput> inputs = List.copyOf(unwrittenInputs);
        List<T> payloads = List.copyOf(unwritten);
        unwrittenInputs.clear();
        unwritten.clear();
        writing = true;
        long first = version + 1;
        long last = match.version();
        boolean compact = last - snapshotVersion > COMPACT_AFTER_INPUTS;
        Future<Void> write;
        if (last - first + 1 != inputs.size()) {
            // A step changed the match without its input here: the record would not rebuild to it.
            write = Future.failedFuture(new IllegalStateException("match " + match.matchId() + " has " + inputs.size()
                + " inputs to replicate for versions " + first + " to " + last));
        } else {
            write = compact ? replication.compact(fence, match.snapshot())
                : replication.append(match.matchId(), fence, first, inputs);
        }
        write.onComplete(done -> {
            if (done.succeeded()) {
                version = last;
                if (compact) {
                    snapshotVersion = last;
                }
                payloads.forEach(replicated);
            } else {
                refusal = done.cause();
                payloads.forEach(payload -> refused.accept(refusal, payload));
                unwritten.forEach(payload -> refused.accept(refusal, payload));
                unwrittenInputs.clear();
                unwritten.clear();
            }
            writing = false; // only now: a step its effects apply at once joins the next write
            satisfyWaiters();
            if (!unwritten.isEmpty()) {
                writeUnwritten();
            }
        });
    }

    /** Completes once every step applied so far has been replicated (or a write was refused). */
    Future<Void> replicated() {
        if (caughtUp()) {
            return Future.succeededFuture();
        }
        Promise<Void> promise = Promise.promise();
        waiting.add(new Waiter(match.version(), promise));
        return promise.future();
    }

    /** Whether every step applied so far has been replicated (or a write was refused): {@link #replicated()} without waiting. */
    boolean caughtUp() {
        return !replication.enabled() || refusal != null || version >= match.version();
    }

    private void satisfyWaiters() {
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (refusal != null || version >= waiter.version()) {
                it.remove();
                waiter.promise().complete();
            }
        }
    }

    /** Who waits for the match's record to reach a version. */
    private record Waiter(long version, Promise<Void> promise) {
    }

    /** Forgets the match's record (it finished here), unless a write was refused: then it is not this node's. */
    Future<Void> remove() {
        return replicated().compose(v -> refusal != null
            ? Future.failedFuture(new IllegalStateException("another node runs it now"))
            : replication.remove(match.matchId(), fence));
    }
}
