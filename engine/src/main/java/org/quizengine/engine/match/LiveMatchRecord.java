package org.quizengine.engine.match;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.quizengine.shared.Wire;
import org.quizengine.shared.match.MatchSnapshot;

/**
 * A live match as the cluster keeps it: who runs it and since which takeover (its {@link
 * Replication.Fence}), a snapshot of the whole match (ASCII JSON, written at formation, at a takeover
 * and at each compaction), and the inputs applied since that snapshot, in order. Immutable: every
 * write stores a new record.
 *
 * @param snapshotVersion the {@link Match#version()} of the snapshot; each input after it adds one
 */
public record LiveMatchRecord(String owner, long epoch, String snapshot, long snapshotVersion, List<MatchInput> steps)
    implements Serializable {

    public LiveMatchRecord {
        steps = List.copyOf(steps);
    }

    /** A record holding only a snapshot of {@code match}, as {@code fence} writes it. */
    static LiveMatchRecord of(Replication.Fence fence, MatchSnapshot snapshot) {
        return new LiveMatchRecord(fence.owner(), fence.epoch(), Wire.encodeAscii(snapshot), snapshot.version(), List.of());
    }

    public Replication.Fence fence() {
        return new Replication.Fence(owner, epoch);
    }

    /** The version of the match this record holds: its snapshot's, plus one per input after it. */
    public long version() {
        return snapshotVersion + steps.size();
    }

    /** This record with {@code more} inputs after its own. */
    LiveMatchRecord append(List<MatchInput> more) {
        List<MatchInput> all = new ArrayList<>(steps.size() + more.size());
        all.addAll(steps);
        all.addAll(more);
        return new LiveMatchRecord(owner, epoch, snapshot, snapshotVersion, all);
    }

    /** The match exactly as its owner had it after the last input here. */
    public Match rebuild() {
        Match match = Match.restore(Wire.decode(snapshot, MatchSnapshot.class));
        for (MatchInput input : steps) {
            input.applyTo(match);
        }
        if (match.version() != version()) {
            throw new IllegalStateException("match " + match.matchId() + " rebuilt to version " + match.version()
                + " where its record is at " + version());
        }
        return match;
    }

    @Override
    public String toString() {
        return "LiveMatchRecord[owner=" + owner + ", epoch=" + epoch + ", version=" + version() + "]";
    }
}
