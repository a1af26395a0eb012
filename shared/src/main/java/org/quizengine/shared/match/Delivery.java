package org.quizengine.shared.match;

import java.util.List;
import java.util.UUID;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerFrame;

/**
 * One frame for some of the players whose sockets are on one node. {@code moreFollow}: the same
 * match step sends that node another delivery right after this one, so its gateway may hold the
 * sockets' flush until then and send the step's frames together.
 */
public record Delivery(List<UUID> recipients, ServerFrame frame, boolean moreFollow) {
    public Delivery {
        recipients = List.copyOf(recipients);
    }

    /** {@code frame} for these players, the last this node gets from its step. */
    public Delivery(List<UUID> recipients, ServerFrame frame) {
        this(recipients, frame, false);
    }

    /** {@code event}, encoded here, for these players, the last this node gets from its step. */
    public Delivery(List<UUID> recipients, ServerEvent event) {
        this(recipients, ServerFrame.of(event));
    }

    /** The event the frame carries, decoded (for tests and tools). */
    public ServerEvent event() {
        return frame.event();
    }
}
