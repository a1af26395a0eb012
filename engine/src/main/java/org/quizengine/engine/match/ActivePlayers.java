package org.quizengine.engine.match;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.quizengine.engine.cluster.IndeterminateWrites;
import org.quizengine.shared.bus.Addresses;

/**
 * Which live match each player is in, so that a player who connects (to any node) is put back into
 * their match. Backed by a Vert.x shared map: node-local on one node, cluster-wide when clustered.
 */
public class ActivePlayers {
    private final Vertx vertx;

    public ActivePlayers(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Records that these players are in {@code matchId}. */
    public Future<Void> claim(Collection<UUID> players, UUID matchId) {
        return map().compose(map -> {
            List<Future<Void>> puts = new ArrayList<>(players.size());
            for (UUID player : players) {
                puts.add(IndeterminateWrites.retried(vertx, () -> map.put(player.toString(), matchId.toString())));
            }
            return Future.all(puts).mapEmpty();
        });
    }

    /** Forgets these players' match, unless they have since moved on to another one. */
    public Future<Void> release(Collection<UUID> players, UUID matchId) {
        return map().compose(map -> {
            List<Future<Boolean>> removals = new ArrayList<>(players.size());
            for (UUID player : players) {
                removals.add(IndeterminateWrites.retried(vertx, () -> map.removeIfPresent(player.toString(), matchId.toString())));
            }
            return Future.all(removals).mapEmpty();
        });
    }

    /** The player's live match, or {@code null}. */
    public Future<UUID> matchOf(UUID player) {
        return map().compose(map -> map.get(player.toString())).map(id -> id == null ? null : UUID.fromString(id));
    }

    private Future<AsyncMap<String, String>> map() {
        return vertx.sharedData().getAsyncMap(Addresses.ACTIVE_PLAYERS_MAP);
    }
}
