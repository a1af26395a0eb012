package org.quizengine.shared.match;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.UUID;

/** What a node's gateway asks of a live match, on the match's own address. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MatchCommand.SubmitAnswer.class, name = "submit_answer"),
    @JsonSubTypes.Type(value = MatchCommand.Attach.class, name = "attach"),
    @JsonSubTypes.Type(value = MatchCommand.Detach.class, name = "detach"),
    @JsonSubTypes.Type(value = MatchCommand.Leave.class, name = "leave"),
})
public sealed interface MatchCommand {

    UUID userId();

    /**
     * A player answers; replied to with {@code AnswerAccepted} or failed with an error code.
     * {@code resent} marks the same answer sent again because the match's owner was lost before it
     * replied: if that owner had already recorded it, it is acknowledged again rather than refused as
     * a duplicate.
     */
    record SubmitAnswer(UUID userId, int index, int option, boolean resent) implements MatchCommand {

        /** A player's answer as first sent. */
        public SubmitAnswer(UUID userId, int index, int option) {
            this(userId, index, option, false);
        }

        /** This answer, sent again to the match's new owner. */
        public SubmitAnswer again() {
            return new SubmitAnswer(userId, index, option, true);
        }
    }

    /**
     * A player's socket is (again) on {@code nodeId}; replied to with {@code MatchState}.
     * {@code connectionId} tells a newer socket from an older one.
     */
    record Attach(UUID userId, String nodeId, String connectionId) implements MatchCommand {
    }

    /** A player's socket closed; ignored unless it is the player's latest connection. */
    record Detach(UUID userId, String connectionId) implements MatchCommand {
    }

    /** A player leaves for good. */
    record Leave(UUID userId) implements MatchCommand {
    }
}
