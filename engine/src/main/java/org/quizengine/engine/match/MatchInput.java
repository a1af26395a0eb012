package org.quizengine.engine.match;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One call that changed a {@link Match}, with the time it was made at: what a match replicates
 * instead of its whole state. {@link Match} depends on nothing but its state, the call and its time,
 * so the same inputs applied in the same order to the same snapshot make the same match: another
 * node rebuilds a match from its last replicated snapshot and the inputs after it.
 */
public sealed interface MatchInput extends Serializable {

    /** Makes this call on {@code match}, as it was first made. */
    Step applyTo(Match match);

    /** An answer; {@code resent} when the player sent it again after the match changed owner. */
    record Answer(UUID userId, int index, int option, boolean resent, long at) implements MatchInput {
        @Override
        public Step applyTo(Match match) {
            return resent ? match.answerAgain(userId, index, option, at) : match.answer(userId, index, option, at);
        }
    }

    /** A player's socket is on {@code nodeId}. */
    record Attach(UUID userId, String nodeId, String connectionId, long at) implements MatchInput {
        @Override
        public Step applyTo(Match match) {
            return match.attach(userId, nodeId, connectionId, at);
        }
    }

    /** A player's socket closed. */
    record Detach(UUID userId, String connectionId, long at) implements MatchInput {
        @Override
        public Step applyTo(Match match) {
            return match.detach(userId, connectionId, at);
        }
    }

    /** A player left for good. */
    record Leave(UUID userId, long at) implements MatchInput {
        @Override
        public Step applyTo(Match match) {
            return match.leave(userId, at);
        }
    }

    /** The match's timer fired. */
    record Tick(long at) implements MatchInput {
        @Override
        public Step applyTo(Match match) {
            return match.onTimer(at);
        }
    }

    /** These nodes left the cluster: players whose sockets were there are away. */
    record NodesLost(Set<String> nodes, long at) implements MatchInput {
        public NodesLost {
            nodes = Set.copyOf(nodes);
        }

        @Override
        public Step applyTo(Match match) {
            return match.markLostNodesAway(node -> !nodes.contains(node), at);
        }
    }

    /** An operator ended the match, telling its players why. */
    record End(String reason, long at) implements MatchInput {
        @Override
        public Step applyTo(Match match) {
            return match.end(reason, at);
        }
    }

    /** Writes {@code inputs} in Hazelcast's binary form (see {@link #readAll}). */
    static void writeAll(ObjectDataOutput out, List<MatchInput> inputs) throws IOException {
        out.writeInt(inputs.size());
        for (MatchInput input : inputs) {
            write(out, input);
        }
    }

    /** Reads what {@link #writeAll} wrote. */
    static List<MatchInput> readAll(ObjectDataInput in) throws IOException {
        int size = in.readInt();
        List<MatchInput> inputs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            inputs.add(read(in));
        }
        return inputs;
    }

    private static void write(ObjectDataOutput out, MatchInput input) throws IOException {
        if (input instanceof Answer answer) {
            out.writeByte(1);
            writeUuid(out, answer.userId());
            out.writeInt(answer.index());
            out.writeInt(answer.option());
            out.writeBoolean(answer.resent());
            out.writeLong(answer.at());
        } else if (input instanceof Attach attach) {
            out.writeByte(2);
            writeUuid(out, attach.userId());
            out.writeString(attach.nodeId());
            out.writeString(attach.connectionId());
            out.writeLong(attach.at());
        } else if (input instanceof Detach detach) {
            out.writeByte(3);
            writeUuid(out, detach.userId());
            out.writeString(detach.connectionId());
            out.writeLong(detach.at());
        } else if (input instanceof Leave leave) {
            out.writeByte(4);
            writeUuid(out, leave.userId());
            out.writeLong(leave.at());
        } else if (input instanceof Tick tick) {
            out.writeByte(5);
            out.writeLong(tick.at());
        } else if (input instanceof NodesLost lost) {
            out.writeByte(6);
            out.writeStringArray(lost.nodes().toArray(String[]::new));
            out.writeLong(lost.at());
        } else if (input instanceof End end) {
            out.writeByte(7);
            out.writeString(end.reason());
            out.writeLong(end.at());
        } else {
            throw new IOException("unknown match input " + input);
        }
    }

    private static MatchInput read(ObjectDataInput in) throws IOException {
        byte kind = in.readByte();
        return switch (kind) {
            case 1 -> new Answer(readUuid(in), in.readInt(), in.readInt(), in.readBoolean(), in.readLong());
            case 2 -> new Attach(readUuid(in), in.readString(), in.readString(), in.readLong());
            case 3 -> new Detach(readUuid(in), in.readString(), in.readLong());
            case 4 -> new Leave(readUuid(in), in.readLong());
            case 5 -> new Tick(in.readLong());
            case 6 -> new NodesLost(Set.of(in.readStringArray()), in.readLong());
            case 7 -> new End(in.readString(), in.readLong());
            default -> throw new IOException("unknown match input kind " + kind);
        };
    }

    private static void writeUuid(ObjectDataOutput out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(ObjectDataInput in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }
}
