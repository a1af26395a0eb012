package org.quizengine.bench.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What one load-generator process is told on its first stdin line: where to connect, which players
 * it simulates, and how they behave.
 *
 * @param worker         this worker's number, for its log
 * @param firstPlayer    the global number of its first player; player numbers make user names
 * @param capacity       how many players it may be asked to run (its sockets: under the fd limit)
 * @param urls           base URLs ({@code http://host:port}) of the nodes, or of the echo server
 * @param echo           true: players talk to a bare echo server instead of playing matches
 * @param userPrefix     user names are {@code <userPrefix>_<number>}
 * @param password       every simulated player's password
 * @param matchSize      players per quick match (and lobby size)
 * @param lobbyShare     fraction of players that play lobbies (a host and its guests) instead of quick matches
 * @param thinkMinMillis shortest think time before answering
 * @param thinkMaxMillis longest think time (uniform in between)
 * @param accuracy       chance of answering correctly, when the question is in the bundled bank
 * @param dropShare      chance per match that a player drops its socket mid-match and reconnects
 * @param connectPerSecond how fast new players sign in and connect (a ramp, not a thundering herd)
 * @param echoIntervalMillis mean interval between an echo player's messages
 * @param livenessMillis silence after which a player pings its node, and then how long it waits for
 *                       any frame before it gives the socket up and reconnects elsewhere; 0: never
 *                       (a frozen node's sockets stay open, so only a client that checks notices)
 */
public record WorkerConfig(int worker, int firstPlayer, int capacity, List<String> urls, boolean echo,
                           String userPrefix, String password, int matchSize, double lobbyShare,
                           int thinkMinMillis, int thinkMaxMillis, double accuracy, double dropShare,
                           int connectPerSecond, int echoIntervalMillis, int livenessMillis) {

    public JsonObject toJson() {
        return new JsonObject()
            .put("worker", worker).put("firstPlayer", firstPlayer).put("capacity", capacity)
            .put("urls", new JsonArray(urls)).put("echo", echo)
            .put("userPrefix", userPrefix).put("password", password).put("matchSize", matchSize)
            .put("lobbyShare", lobbyShare).put("thinkMinMillis", thinkMinMillis).put("thinkMaxMillis", thinkMaxMillis)
            .put("accuracy", accuracy).put("dropShare", dropShare).put("connectPerSecond", connectPerSecond)
            .put("echoIntervalMillis", echoIntervalMillis).put("livenessMillis", livenessMillis);
    }

    public static WorkerConfig fromJson(JsonObject json) {
        return new WorkerConfig(json.getInteger("worker"), json.getInteger("firstPlayer"), json.getInteger("capacity"),
            json.getJsonArray("urls").stream().map(String.class::cast).toList(), json.getBoolean("echo"),
            json.getString("userPrefix"), json.getString("password"), json.getInteger("matchSize"),
            json.getDouble("lobbyShare"), json.getInteger("thinkMinMillis"), json.getInteger("thinkMaxMillis"),
            json.getDouble("accuracy"), json.getDouble("dropShare"), json.getInteger("connectPerSecond"),
            json.getInteger("echoIntervalMillis"), json.getInteger("livenessMillis", 0));
    }
}
