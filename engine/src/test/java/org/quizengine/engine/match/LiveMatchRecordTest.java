package org.quizengine.engine.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.quizengine.shared.Wire;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchSettings;
import org.quizengine.shared.match.MatchSnapshot;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.match.QuestionSpec;
import org.quizengine.shared.protocol.PlayerInfo;

/**
 * A match rebuilt from its last snapshot and the inputs after it is the match its owner had: what a
 * node taking a match over relies on, since only inputs are replicated between snapshots.
 */
class LiveMatchRecordTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final List<String> NODES = List.of("node-a", "node-b");

    @Test
    void aMatchRebuiltFromItsSnapshotAndInputsEqualsTheOriginalAfterEveryStepOfRandomPlay() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            MatchSpec spec = spec(4, 5);
            Match match = Match.create(spec);
            long now = T0;
            match.start(now);
            // The snapshot is taken somewhere into the match, as a compaction point would be.
            int snapshotAt = random.nextInt(20);
            MatchSnapshot base = null;
            List<MatchInput> inputs = new ArrayList<>();
            for (int i = 0; i < 80 && match.phase() != Phase.FINISHED; i++) {
                if (i == snapshotAt) {
                    base = match.snapshot();
                    inputs.clear();
                }
                now += random.nextInt(2_000);
                MatchInput input = randomInput(random, spec, match, now);
                if (input.applyTo(match).changed() && base != null) {
                    inputs.add(input);
                    LiveMatchRecord record = new LiveMatchRecord("node-a", 1, Wire.encodeAscii(base),
                        base.version(), inputs);
                    assertThat(record.rebuild().snapshot()).as("seed %d, step %d", seed, i).isEqualTo(match.snapshot());
                }
            }
        }
    }

    @Test
    void aRecordAndItsInputsCrossTheWireUnchanged() {
        MatchSpec spec = spec(2, 1);
        Match match = Match.create(spec);
        match.start(T0);
        UUID player = spec.players().get(0).userId();
        List<MatchInput> inputs = List.of(new MatchInput.Answer(player, 0, 2, true, T0 + 5), new MatchInput.Attach(player,
            "node-b", "socket-2", T0 + 6), new MatchInput.Detach(player, "socket-2", T0 + 7), new MatchInput.Leave(player,
            T0 + 8), new MatchInput.Tick(T0 + 9), new MatchInput.NodesLost(Set.of("node-a", "node-c"), T0 + 10),
            new MatchInput.End("Ended by an operator: the hall is closing.", T0 + 11));
        LiveMatchRecord record = new LiveMatchRecord("node-a", 3, Wire.encodeAscii(match.snapshot()),
            match.version(), inputs);
        Config config = new Config();
        ClusteredReplication.register(config);
        SerializationService serialization = new DefaultSerializationServiceBuilder()
            .setConfig(config.getSerializationConfig()).build();

        Data append = serialization.toData(new RecordWrite.Append(record.fence(), record.snapshotVersion() + 1, inputs));
        LiveMatchRecord created = new LiveMatchRecord("node-a", 3, record.snapshot(), record.snapshotVersion(), List.of());
        Map.Entry<String, LiveMatchRecord> entry = new AbstractMap.SimpleEntry<>("m", created);
        RecordWrite.Append decoded = serialization.toObject(append);
        assertThat(decoded.process(entry)).isNull();

        assertThat(entry.getValue().steps()).isEqualTo(inputs);
        assertThat((LiveMatchRecord) serialization.toObject(serialization.toData(record))).isEqualTo(record);
        assertThat(append.totalSize()).as("bytes of an append of seven inputs").isLessThan(480);

        // Every other write and read crosses the wire to the same effect, on the primary and on the backup.
        LiveMatchRecord snapshot = new LiveMatchRecord("node-a", 3, record.snapshot(), record.version() + 1, List.of());
        List<RecordWrite> writes = List.of(new RecordWrite.Create(record), new RecordWrite.Snapshot(snapshot),
            new RecordWrite.TakeOver(record.fence(), record.version(), snapshot), new RecordWrite.Remove(record.fence()),
            new RecordWrite.ReadOwner());
        for (RecordWrite write : writes) {
            RecordWrite crossed = serialization.toObject(serialization.toData(write));
            for (LiveMatchRecord stored : Arrays.asList(null, record)) {
                Map.Entry<String, LiveMatchRecord> sent = new AbstractMap.SimpleEntry<>("m", stored);
                Map.Entry<String, LiveMatchRecord> received = new AbstractMap.SimpleEntry<>("m", stored);
                assertThat(crossed.process(received)).as("%s on %s", write.getClass().getSimpleName(), stored)
                    .isEqualTo(write.process(sent));
                assertThat(received.getValue()).isEqualTo(sent.getValue());
            }
        }
        String[] owners = serialization.<RecordWrite.Owners>toObject(serialization.toData(new RecordWrite.Owners()))
            .transform(new AbstractMap.SimpleEntry<>("m", record));
        assertThat(owners).containsExactly("m", "node-a", "3");
    }

    /** Something a player, the timer or the cluster could do to the match now (not always allowed). */
    private static MatchInput randomInput(Random random, MatchSpec spec, Match match, long now) {
        UUID player = spec.players().get(random.nextInt(spec.players().size())).userId();
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> new MatchInput.Answer(player, Math.max(0, match.questionIndex() + random.nextInt(3) - 1),
                random.nextInt(5), random.nextInt(8) == 0, now);
            case 4 -> new MatchInput.Attach(player, NODES.get(random.nextInt(2)), "socket-" + random.nextInt(3), now);
            case 5 -> new MatchInput.Detach(player, "socket-" + random.nextInt(3), now);
            case 6 -> random.nextInt(6) == 0 ? new MatchInput.Leave(player, now)
                : random.nextInt(30) == 0 ? new MatchInput.End("ended by an operator", now) : new MatchInput.Tick(now);
            case 7 -> new MatchInput.NodesLost(Set.of(NODES.get(random.nextInt(2))), now);
            default -> new MatchInput.Tick(Math.max(now, Math.min(match.nextWakeAt(), now + 30_000)));
        };
    }

    private static MatchSpec spec(int players, int questionCount) {
        List<PlayerInfo> seated = IntStream.range(0, players).mapToObj(i -> new PlayerInfo(UUID.randomUUID(), "p" + i)).toList();
        List<QuestionSpec> questions = IntStream.range(0, questionCount)
            .mapToObj(i -> new QuestionSpec(i + 1, "science", "easy", "Question " + i, List.of("a", "b", "c", "d"), i % 4))
            .toList();
        Map<UUID, String> nodes = new HashMap<>();
        seated.forEach(p -> nodes.put(p.userId(), NODES.get(nodes.size() % 2)));
        return new MatchSpec(UUID.randomUUID(), MatchKind.QUICK, "science", seated, questions,
            new MatchSettings(questionCount, 3_000, 1_000, 500, 4_000), nodes);
    }
}
