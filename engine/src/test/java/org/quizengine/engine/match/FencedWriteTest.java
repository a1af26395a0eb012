package org.quizengine.engine.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quizengine.shared.match.MatchSnapshot;

/**
 * A match's record as its writes made again leave it: a write given up as lost (its backup or its
 * target did not answer) is made again, and the first try may still land, late.
 */
class FencedWriteTest {
    private final MapReplication replication = new MapReplication();
    private final Replication.Fence owner = Replication.Fence.first("node-a");

    @Test
    void aWriteMadeAgainSucceedsAndLeavesTheRecordAsTheFirstTryDid() {
        MatchSnapshot first = Match.create(ReplicationMemberLossTest.spec()).snapshot();
        replication.create("node-a", first);
        MatchSnapshot second = ReplicationMemberLossTest.nextVersion(first);

        String once = succeeded(replication.update(owner, second));
        String again = succeeded(replication.update(owner, second));

        assertThat(again).isEqualTo(once);
        assertThat(replication.record(matchId(first))).isEqualTo(once);
    }

    @Test
    void aTryThatLandsAfterNewerWritesIsRefusedAndTheNewestRecordStays() {
        MatchSnapshot v1 = Match.create(ReplicationMemberLossTest.spec()).snapshot();
        replication.create("node-a", v1);
        MatchSnapshot v2 = ReplicationMemberLossTest.nextVersion(v1);
        MatchSnapshot v3 = ReplicationMemberLossTest.nextVersion(v2);
        succeeded(replication.update(owner, v2));
        String newest = succeeded(replication.update(owner, v3));

        Future<String> late = replication.update(owner, v2);

        assertThat(late.failed()).as("the late try of v2").isTrue();
        assertThat(late.cause()).hasMessageContaining("newer version");
        assertThat(replication.record(matchId(v1))).isEqualTo(newest);
        assertThat(FencedWrite.versionOf(newest)).isEqualTo(v3.version());
    }

    private static String succeeded(Future<String> write) {
        assertThat(write.succeeded()).as("write: %s", write.cause()).isTrue();
        return write.result();
    }

    private static UUID matchId(MatchSnapshot snapshot) {
        return snapshot.spec().matchId();
    }
}
