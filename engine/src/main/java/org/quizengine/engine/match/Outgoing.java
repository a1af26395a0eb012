package org.quizengine.engine.match;

import java.util.List;
import java.util.UUID;
import org.quizengine.shared.protocol.ServerEvent;

/** An event the rules want sent to some of the match's players. */
public record Outgoing(List<UUID> recipients, ServerEvent event) {
    public Outgoing {
        recipients = List.copyOf(recipients);
    }
}
