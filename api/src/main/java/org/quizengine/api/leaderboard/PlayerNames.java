package org.quizengine.api.leaderboard;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Usernames for the user ids on a leaderboard page (Redis holds only ids and scores). */
public final class PlayerNames {
    private static final String NAMES_BY_ID = "SELECT id, username FROM users WHERE id = ANY($1)";

    private final Pool pool;

    public PlayerNames(Pool pool) {
        this.pool = pool;
    }

    public Future<Map<UUID, String>> of(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return pool.preparedQuery(NAMES_BY_ID).execute(Tuple.of(ids.toArray(new UUID[0]))).map(rows -> {
            Map<UUID, String> names = new HashMap<>();
            for (Row row : rows) {
                names.put(row.getUUID("id"), row.getString("username"));
            }
            return names;
        });
    }
}
