package org.quizengine.shared.match;

import java.util.List;
import java.util.UUID;
import org.quizengine.shared.protocol.ServerEvent;

/** One event for some of the players whose sockets are on one node. */
public record Delivery(List<UUID> recipients, ServerEvent event) {
    public Delivery {
        recipients = List.copyOf(recipients);
    }
}
