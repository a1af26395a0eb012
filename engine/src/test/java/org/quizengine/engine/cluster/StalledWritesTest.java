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
import java.util.concurrent.CopyOnWriteArrayList;
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

    @Test
    @Timeout(90)
    void aWriteBegunOnceTheDepartureIsLongPastIsLeftToHazelcast() throws Exception {
        members.addAll(HazelcastMembers.start("quiz-stalled-writes-window", 3));
        vertx = Vertx.vertx();
        long window = 1_500;
        StalledWrites stalled = new StalledWrites(vertx, members.get(0), 500, window);
        Context context = vertx.getOrCreateContext();

        members.remove(2).getLifecycleService().terminate();
        Eventually.await("the member gone", Duration.ofSeconds(20), () -> members.get(0).getCluster().getMembers().size() == 2);
        Thread.sleep(2 * window);
        Promise<String> slow = Promise.promise();
        CompletableFuture<Future<String>> slowOutcome = on(context, () -> stalled.bounded(slow.future()));
        Thread.sleep(4 * 500);

        assertThat(slowOutcome.join().isComplete()).as("a write begun after the unsettled window").isFalse();
        context.runOnContext(v -> slow.complete("written"));
        Eventually.await("its own outcome", Duration.ofSeconds(10), () -> slowOutcome.join().isComplete());
        assertThat(slowOutcome.join().result()).isEqualTo("written");
    }

    @Test
    @Timeout(60)
    void aWriteMadeAgainAfterItsTimeoutRunsAndEndsOnTheWritersContext() throws Exception {
        vertx = Vertx.vertx();
        Context writer = vertx.getOrCreateContext();
        List<Context> attemptsOn = new CopyOnWriteArrayList<>();
        CompletableFuture<Future<String>> written = on(writer, () -> IndeterminateWrites.retriedOrTimedOut(vertx, () -> {
            attemptsOn.add(Vertx.currentContext());
            // The first never answers, like a write to a member frozen mid-write; a promise of no context.
            return attemptsOn.size() == 1 ? Promise.<String>promise().future() : Future.succeededFuture("written");
        }));
        CompletableFuture<Context> completedOn = new CompletableFuture<>();
        written.join().onComplete(done -> completedOn.complete(Vertx.currentContext()));

        assertThat(completedOn.get(IndeterminateWrites.ATTEMPT_TIMEOUT_MILLIS + 10_000, TimeUnit.MILLISECONDS)).isSameAs(writer);
        assertThat(written.join().result()).isEqualTo("written");
        assertThat(attemptsOn).containsExactly(writer, writer);
    }

    private static <T> CompletableFuture<T> on(Context context, Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> result.complete(action.get()));
        return result;
    }
}
