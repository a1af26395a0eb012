package org.quizengine.engine.match;

import java.util.UUID;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A match's inbox bound: a fixed budget of commands per clock second, beyond which commands are
 * refused, not queued ({@code MATCH_OVERLOADED}). Used on the match's own context only.
 */
final class InboxBudget {
    private static final Logger LOG = LoggerFactory.getLogger(InboxBudget.class);

    private final UUID matchId;
    private final int perSecond;
    private final LongSupplier clock;
    private long second = Long.MIN_VALUE;
    private int taken;
    private boolean overloadLogged;

    InboxBudget(UUID matchId, int perSecond, LongSupplier clock) {
        this.matchId = matchId;
        this.perSecond = perSecond;
        this.clock = clock;
    }

    /** Whether one more command fits in this second's budget (it is counted if so). */
    boolean admit() {
        long now = clock.getAsLong() / 1000;
        if (now != second) {
            second = now;
            taken = 0;
            overloadLogged = false;
        }
        if (++taken <= perSecond) {
            return true;
        }
        if (!overloadLogged) {
            overloadLogged = true;
            LOG.warn("Match {} is over its inbox budget of {} commands/s; refusing the rest of this second", matchId,
                perSecond);
        }
        return false;
    }
}
