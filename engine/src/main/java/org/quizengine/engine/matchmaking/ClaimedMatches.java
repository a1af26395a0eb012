package org.quizengine.engine.matchmaking;

import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.quizengine.engine.match.ActivePlayers;
import org.quizengine.engine.match.LiveMatchRecord;
import org.quizengine.engine.match.Replication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A player's live match, read from the claims matches make when they start ({@link ActivePlayers},
 * cluster-wide when clustered). A claim can outlive its match: the node died as the match finished,
 * or a release was lost. So each claim is checked against the match itself, and one whose match no
 * longer holds the player is cleared: a dead match must not lock its players out of playing again.
 */
public final class ClaimedMatches implements LiveMatches {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimedMatches.class);

    /** Whether a match still holds a player: {@code (matchId, player)} to yes or no. */
    public interface Seats {
        Future<Boolean> holds(UUID matchId, UUID player);
    }

    private final ActivePlayers claims;
    private final Seats seats;

    public ClaimedMatches(ActivePlayers claims, Seats seats) {
        this.claims = claims;
        this.seats = seats;
    }

    @Override
    public Future<UUID> matchOf(UUID player) {
        return claims.matchOf(player).compose(matchId -> matchId == null
            ? Future.succeededFuture(null)
            : seats.holds(matchId, player).compose(held -> held ? Future.succeededFuture(matchId) : clear(player, matchId)));
    }

    private Future<UUID> clear(UUID player, UUID matchId) {
        LOG.atInfo().addKeyValue("user", player).addKeyValue("match", matchId)
            .log("Player {} was still claimed by match {}, which no longer holds them; clearing the claim", player, matchId);
        return claims.release(List.of(player), matchId).map(v -> null);
    }

    /**
     * In a cluster a match lives while its replicated record does (one whose owner died lives on in
     * it until another node adopts it), and holds a player whose seat there has not been left.
     */
    public static Seats replicated(Replication replication) {
        return (matchId, player) -> replication.read(matchId)
            .map(record -> record != null && holds(record, player));
    }

    /** Whether the record's match holds the player; a record that does not rebuild holds no one. */
    private static boolean holds(LiveMatchRecord record, UUID player) {
        try {
            return record.rebuild().holds(player);
        } catch (RuntimeException e) {
            LOG.error("The record of a live match ({}) cannot be rebuilt: {}", record, e.getMessage());
            return false;
        }
    }

    /** On a single node: the match is being played here ({@code playedHere}, not over); a player who leaves gives up the claim. */
    public static Seats local(Predicate<UUID> playedHere) {
        return (matchId, player) -> Future.succeededFuture(playedHere.test(matchId));
    }
}
