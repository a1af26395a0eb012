package org.quizengine.engine.match;

import java.util.List;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.protocol.ServerEvent;

/**
 * What one call on {@link Match} produced: events to send, an optional reply to the caller (or a
 * rejection with a stable code, in which case nothing changed), and the result when the match just
 * finished. A step that only answers ({@code changed} false) has nothing to replicate.
 */
public record Step(List<Outgoing> events, ServerEvent reply, ErrorCode rejection, String rejectionReason,
                   MatchResult finished, boolean changed) {

    public Step {
        events = List.copyOf(events);
    }

    static Step rejected(ErrorCode code, String reason) {
        return new Step(List.of(), null, code, reason, null, false);
    }

    /** An answer read from the match as it stands, which changes nothing. */
    static Step answered(ServerEvent reply) {
        return new Step(List.of(), reply, null, null, null, false);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}
