package org.quizengine.shared.match;

import java.util.List;
import java.util.UUID;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerFrame;

/** One frame for some of the players whose sockets are on one node. */
public record Delivery(List<UUID> recipients, ServerFrame frame) {
    public Delivery {
        recipients = List.copyOf(recipients);
    }

    /** {@code event}, encoded here, for these players. */
    public Delivery(List<UUID> recipients, ServerEvent event) {
        this(recipients, ServerFrame.of(event));
    }

    /** The event the frame carries, decoded (for tests and tools). */
    public ServerEvent event() {
        return frame.event();
    }
}
