package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IndeterminateOperationStateException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.HazelcastMembers;

/**
 * Real Hazelcast members in this JVM, configured as a node's are: a write still waiting when a member
 * dies is given up as indeterminate (so it is made again) instead of waiting out the backup timeout,
 * and a write that has its outcome keeps it.
 */
class StalledWritesTest {
    private final List<HazelcastInstance> members = new ArrayList<>();
    private Vertx vertx;

    @AfterEach
    void stop() throws Exception {
        members.forEach(member -> member.getLifecycleService().terminate());
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(90)
    void aWriteWithoutAnOutcomeWhenAMemberDiesIsGivenUpAndOneWithItsOutcomeIsKept() throws Exception {
        members.addAll(HazelcastMembers.start("quiz-stalled-writes", 3));
        vertx = Vertx.vertx();
        StalledWrites stalled = new StalledWrites(vertx, members.get(0));
        Context context = vertx.getOrCreateContext();

        Promise<String> stuck = Promise.promise();
        Promise<String> answered = Promise.promise();
        CompletableFuture<Future<String>> stuckOutcome = on(context, () -> stalled.bounded(stuck.future()));
        CompletableFuture<Future<String>> answeredOutcome = on(context, () -> stalled.bounded(answered.future()));
        context.runOnContext(v -> answered.complete("written"));
        Eventually.await("the answered write's outcome", Duration.ofSeconds(10), () -> answeredOutcome.join().isComplete());
        Thread.sleep(2 * StalledWrites.GIVE_UP_MILLIS);
        assertThat(stuckOutcome.join().isComplete()).as("a slow write, with every member alive, is left to Hazelcast").isFalse();

        members.remove(2).getLifecycleService().terminate();

        Eventually.await("the stuck write given up", Duration.ofSeconds(20), () -> stuckOutcome.join().isComplete());
        assertThat(stuckOutcome.join().cause()).isInstanceOf(IndeterminateOperationStateException.class);
        assertThat(IndeterminateWrites.indeterminate(stuckOutcome.join().cause())).isTrue();
        assertThat(answeredOutcome.join().result()).isEqualTo("written");

        // Just after the death, a new write may still go out on a partition table naming the dead member.
        Promise<String> late = Promise.promise();
        Promise<String> lateButAnswered = Promise.promise();
        CompletableFuture<Future<String>> lateOutcome = on(context, () -> stalled.bounded(late.future()));
        CompletableFuture<Future<String>> lateAnsweredOutcome = on(context, () -> stalled.bounded(lateButAnswered.future()));
        context.runOnContext(v -> lateButAnswered.complete("written"));
        Eventually.await("the write begun after the death given up", Duration.ofSeconds(20), () -> lateOutcome.join().isComplete());
        assertThat(lateOutcome.join().cause()).isInstanceOf(IndeterminateOperationStateException.class);
        assertThat(lateAnsweredOutcome.join().result()).isEqualTo("written");
    }

    private static <T> CompletableFuture<T> on(Context context, Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> result.complete(action.get()));
        return result;
    }
}
