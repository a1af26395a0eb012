package org.quizengine.bench.load;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Players who play private lobbies together: the first is the host, who creates the lobby and
 * starts it once everyone is in; the others join with its code, which reaches them the way a code
 * reaches friends (here, in memory). All members live on one worker's event loop.
 */
final class LobbyGroup {
    private final int size;
    private SimPlayer host;
    /** Guests ready to play and not yet in the current lobby. */
    private final Set<SimPlayer> waiting = new LinkedHashSet<>();
    private String code;
    private boolean creating;

    LobbyGroup(int size) {
        this.size = size;
    }

    /** The first member added hosts. */
    void add(SimPlayer member) {
        if (host == null) {
            host = member;
        }
    }

    /** {@code player} has no match and wants one. */
    void ready(SimPlayer player) {
        if (player == host) {
            if (code == null && !creating) {
                creating = true;
                host.send(new JsonObject().put("type", "create_lobby").put("maxPlayers", size));
            }
            return;
        }
        if (code == null) {
            waiting.add(player);
        } else {
            join(player);
        }
    }

    /** A {@code lobby} frame reached {@code player}. */
    void update(SimPlayer player, String lobbyCode, int members, int maxPlayers) {
        if (player != host) {
            return;
        }
        creating = false;
        code = lobbyCode;
        waiting.forEach(this::join);
        waiting.clear();
        if (members == maxPlayers) {
            host.send(new JsonObject().put("type", "start_lobby"));
        }
    }

    /** The lobby became a match: its code is gone. */
    void started(SimPlayer player) {
        if (player == host) {
            code = null;
            creating = false;
        }
    }

    /** {@code player}'s socket closed: a host's lobby closes with it. */
    void left(SimPlayer player) {
        waiting.remove(player);
        if (player == host) {
            code = null;
            creating = false;
        }
    }

    private void join(SimPlayer guest) {
        guest.send(new JsonObject().put("type", "join_lobby").put("code", code));
    }
}
