package org.quizengine.engine.match;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A match's inbox bound: a fixed budget of commands per clock second, beyond which commands are
 * refused, not queued ({@code MATCH_OVERLOADED}). Each player may use only their share of it (the
 * budget divided by the seats, rounded up), so no player can spend the others' share. Only the
 * match's players are counted: the match refuses anyone else before asking. Used on the match's own
 * context only.
 */
final class InboxBudget {
    private static final Logger LOG = LoggerFactory.getLogger(InboxBudget.class);

    private final UUID matchId;
    private final int perSecond;
    private final IntSupplier seats;
    private final LongSupplier clock;
    private final Map<UUID, Integer> takenBy = new HashMap<>();
    private long second = Long.MIN_VALUE;
    private int perPlayer;
    private int taken;
    private boolean overloadLogged;

    /** @param seats how many players the match has (read once a second) */
    InboxBudget(UUID matchId, int perSecond, IntSupplier seats, LongSupplier clock) {
        this.matchId = matchId;
        this.perSecond = perSecond;
        this.seats = seats;
        this.clock = clock;
    }

    /** Whether one more command of {@code sender} fits in this second's budget (it is counted if so). */
    boolean admit(UUID sender) {
        long now = clock.getAsLong() / 1000;
        if (now != second) {
            second = now;
            int players = Math.max(1, seats.getAsInt());
            perPlayer = (perSecond + players - 1) / players;
            taken = 0;
            takenBy.clear();
            overloadLogged = false;
        }
        int bySender = takenBy.merge(sender, 1, Integer::sum);
        if (bySender <= perPlayer && ++taken <= perSecond) {
            return true;
        }
        if (!overloadLogged) {
            overloadLogged = true;
            LOG.atWarn().addKeyValue("match", matchId)
                .log("Match {} refuses commands over its inbox budget of {} commands/s ({} per player) for the rest"
                    + " of this second", matchId, perSecond, perPlayer);
        }
        return false;
    }
}
