package org.quizengine.engine.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;

/**
 * Hazelcast's asynchronous results, carried on on the caller's Vert.x context.
 *
 * <p>Hazelcast runs a callback registered with {@code whenComplete} on its default executor, which is
 * the common fork-join pool only when that pool has more than one thread; on a two-core machine it
 * has one, and Hazelcast starts a new thread for every callback instead. A profile of a node in a
 * three-node cluster showed 1,250 threads started in 30 s, one per replication write
 * (benchmarks/RESULTS.md). The callback here only hands the outcome to the caller's context, which
 * is safe on Hazelcast's response thread, so it runs there.
 */
public final class HazelcastFutures {
    private HazelcastFutures() {
    }

    /** The outcome of {@code stage}, completed on the context of the calling thread. */
    public static <T> Future<T> onContext(Vertx vertx, CompletionStage<T> stage) {
        Context context = vertx.getOrCreateContext();
        Promise<T> outcome = Promise.promise();
        stage.whenCompleteAsync((value, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                outcome.fail(failure);
            } else {
                outcome.complete(value);
            }
        }), Runnable::run);
        return outcome.future();
    }
}
