package org.quizengine.engine.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.HazelcastMembers;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchSettings;
import org.quizengine.shared.match.MatchSnapshot;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.match.QuestionSpec;
import org.quizengine.shared.protocol.PlayerInfo;

/**
 * Matches on the nodes that live on must not notice a node's death. Real Hazelcast members in this
 * JVM, configured as a node's are ({@code fail.on.indeterminate.state} included): one keeps writing
 * the records of its matches while another, holding backups of some of them, is terminated. Every
 * write in flight then has an indeterminate outcome; the chaos run saw each such match stop for good
 * ("stopping here, indeterminate operation state") and its players lose it.
 */
class ReplicationMemberLossTest {
    private static final int MATCHES = 40;
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
    void everyMatchWriteOnASurvivorSucceedsWhileAMemberHoldingItsBackupsDies() throws Exception {
        members.addAll(HazelcastMembers.start("quiz-member-loss", 3));
        vertx = Vertx.vertx();
        Replication replication = new ClusteredReplication(vertx, members.get(0), () -> true);

        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicInteger> writesAfterDeath = new ConcurrentHashMap<>();
        AtomicBoolean dead = new AtomicBoolean();
        AtomicBoolean writing = new AtomicBoolean(true);
        for (int m = 0; m < MATCHES; m++) {
            int match = m;
            writesAfterDeath.put(match, new AtomicInteger());
            MatchSnapshot first = Match.create(spec()).snapshot();
            vertx.runOnContext(v -> replication.create("node-0", first)
                .onSuccess(created -> keepWriting(replication, first.spec().matchId(), Replication.Fence.first("node-0"),
                    first.version(), writing, dead, writesAfterDeath.get(match), failures))
                .onFailure(failures::add));
        }
        Thread.sleep(1_000);
        members.remove(2).getLifecycleService().terminate();
        dead.set(true);
        Eventually.await("20 writes of every match after the death, or a failed write", Duration.ofSeconds(30),
            () -> !failures.isEmpty() || writesAfterDeath.values().stream().allMatch(n -> n.get() >= 20));
        writing.set(false);

        assertThat(failures).as("writes that failed on the surviving owner").isEmpty();
    }

    /** Appends to the match's record again and again, one write at a time, as a live match does. */
    private static void keepWriting(Replication replication, UUID matchId, Replication.Fence fence, long version,
                                    AtomicBoolean writing, AtomicBoolean dead, AtomicInteger writesAfterDeath,
                                    List<Throwable> failures) {
        if (!writing.get()) {
            return;
        }
        boolean afterDeath = dead.get();
        replication.append(matchId, fence, version + 1, List.of(new MatchInput.Tick(version + 1))).onSuccess(written -> {
            if (afterDeath) {
                writesAfterDeath.incrementAndGet();
            }
            keepWriting(replication, matchId, fence, version + 1, writing, dead, writesAfterDeath, failures);
        }).onFailure(failures::add);
    }

    static MatchSpec spec() {
        PlayerInfo ann = new PlayerInfo(UUID.randomUUID(), "ann");
        PlayerInfo bob = new PlayerInfo(UUID.randomUUID(), "bob");
        List<QuestionSpec> questions = List.of(new QuestionSpec(1, "science", "easy", "Question", List.of("a", "b", "c", "d"), 0));
        return new MatchSpec(UUID.randomUUID(), MatchKind.QUICK, "science", List.of(ann, bob), questions,
            new MatchSettings(1, 3_000, 0, 0, 5_000), Map.of(ann.userId(), "node-0", bob.userId(), "node-0"));
    }
}
