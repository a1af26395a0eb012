package org.quizengine.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One load-generator process: up to {@link WorkerConfig#capacity()} simulated players on one event
 * loop. Several run side by side because one process may hold only so many sockets (20,000 open
 * files here). The coordinator talks to it over stdin and stdout, one JSON object per line:
 * <ul>
 *   <li>in: the {@link WorkerConfig}, then commands {@code {"cmd":"players","count":n}} (how many
 *   of its players should be playing), {@code {"cmd":"mark","at":epochMillis,"fault":name,"node":url,"matches":[id...]}}
 *   (a disruption: time how long each player in a match takes to hear from it again; with {@code node}
 *   or {@code matches}, only the players whose socket is on that node or whose match is listed),
 *   {@code {"cmd":"stop","graceMillis":n}} (players finish the match they are in, for up to n ms, then all close);</li>
 *   <li>out: a {@code tick} every second and a {@code final} after {@code stop} (see {@link WorkerStats}).</li>
 * </ul>
 * Its own logging goes to stderr.
 */
public final class LoadWorker {
    private static final int TICKS_PER_SECOND = 10;

    private final Vertx vertx;
    private final WorkerConfig config;
    private final PrintStream out;
    private final WorkerStats stats = new WorkerStats();
    private final AnswerKey answerKey = AnswerKey.bundled();
    private final Random random;
    private final HttpClient http;
    private final WebSocketClient webSockets;
    private final List<SimPlayer> players = new ArrayList<>();
    private final Deque<SimPlayer> toStart = new ArrayDeque<>();
    private int wanted;

    private LoadWorker(Vertx vertx, WorkerConfig config, PrintStream out) {
        this.vertx = vertx;
        this.config = config;
        this.out = out;
        this.random = new Random(config.worker() * 7919L + 17);
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setIdleTimeout(60),
            new PoolOptions().setHttp1MaxSize(16));
        // Players offer compression, as browsers and most client libraries do; the node decides.
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(Math.max(1, config.capacity()) * 2).setConnectTimeout(10_000)
            .setTryUsePerMessageCompression(true));
        createPlayers();
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = System.out;
        System.setOut(System.err); // anything that prints must not corrupt the line protocol
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        WorkerConfig config = WorkerConfig.fromJson(new JsonObject(in.readLine()));
        // Native epoll where there is one (as the node uses): it costs a generator less CPU per frame than NIO.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
            .setPreferNativeTransport(true));
        CountDownLatch stopped = new CountDownLatch(1);
        LoadWorker worker = new LoadWorker(vertx, config, protocol);
        vertx.runOnContext(v -> worker.begin());
        String line;
        long graceMillis = 0;
        while ((line = in.readLine()) != null) {
            JsonObject command = new JsonObject(line);
            vertx.runOnContext(v -> worker.handle(command, stopped));
            if ("stop".equals(command.getString("cmd"))) {
                graceMillis = command.getLong("graceMillis", 0L);
                break;
            }
        }
        if (line == null) { // the coordinator is gone: stop all the same, at once
            vertx.runOnContext(v -> worker.handle(new JsonObject().put("cmd", "stop"), stopped));
        }
        stopped.await(graceMillis + 30_000, TimeUnit.MILLISECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
        System.exit(0);
    }

    private void createPlayers() {
        int lobbyGroups = (int) Math.round(config.capacity() / (double) config.matchSize() * config.lobbyShare());
        LobbyGroup group = null;
        for (int i = 0; i < config.capacity(); i++) {
            boolean inLobbyGroup = i / config.matchSize() < lobbyGroups;
            if (inLobbyGroup && i % config.matchSize() == 0) {
                group = new LobbyGroup(config.matchSize());
            }
            SimPlayer player = new SimPlayer(this, config.firstPlayer() + i, inLobbyGroup ? group : null);
            if (inLobbyGroup) {
                group.add(player);
            }
            players.add(player);
        }
    }

    private void begin() {
        log("sockets use " + (vertx.isNativeTransportEnabled() ? "the native transport" : "Java NIO"));
        vertx.setPeriodic(1_000, id -> out.println(stats.tick(connected(), inMatch(), wanted).encode()));
        vertx.setPeriodic(1_000 / TICKS_PER_SECOND, id -> startSome());
        if (config.livenessMillis() > 0) {
            vertx.setPeriodic(Math.max(50, config.livenessMillis() / 4), id -> {
                long now = System.nanoTime();
                players.forEach(p -> p.checkLiveness(now));
            });
        }
    }

    private void handle(JsonObject command, CountDownLatch stopped) {
        switch (command.getString("cmd")) {
            case "players" -> want(command.getInteger("count"));
            case "mark" -> mark(command);
            case "stop" -> stop(command.getLong("graceMillis", 0L), stopped);
            default -> log("unknown command " + command.encode());
        }
    }

    /** Sets how many players play: the first {@code count}, in whole matches' worth where lobbies need it. */
    private void want(int count) {
        int target = Math.min(count, players.size());
        for (int i = 0; i < players.size(); i++) {
            SimPlayer player = players.get(i);
            if (i < target && !player.wanted()) {
                toStart.add(player);
            } else if (i >= target && player.wanted()) {
                toStart.remove(player);
                player.stopWhenIdle();
            }
        }
        wanted = target;
    }

    private void mark(JsonObject command) {
        Disruption disruption = new Disruption(command.getString("fault", "failover"), command.getLong("at"),
            command.getString("node"), command.getJsonArray("matches") == null ? null
                : command.getJsonArray("matches").stream().map(id -> UUID.fromString((String) id)).collect(Collectors.toSet()));
        players.forEach(p -> p.markDisruption(disruption));
    }

    /**
     * A fault the coordinator just caused, at {@code atMillis}: the players it touches are those in a
     * match whose socket is on {@code nodeUrl} or whose match is in {@code matches}; with both null, every
     * player in a match.
     */
    record Disruption(String fault, long atMillis, String nodeUrl, Set<UUID> matches) {
        boolean touches(String playerUrl, UUID matchId) {
            if (nodeUrl == null && matches == null) {
                return true;
            }
            return playerUrl.equals(nodeUrl) || (matches != null && matches.contains(matchId));
        }
    }

    private void startSome() {
        int batch = Math.max(1, config.connectPerSecond() / TICKS_PER_SECOND);
        for (int i = 0; i < batch && !toStart.isEmpty(); i++) {
            toStart.poll().start();
        }
    }

    /**
     * Players in a match play it to the end (for up to {@code graceMillis}), so that every match a
     * player was in is one its players saw finish and the audit can account for all of it; the
     * others leave at once. Then every socket closes and the final report goes out.
     */
    private void stop(long graceMillis, CountDownLatch stopped) {
        toStart.clear();
        wanted = 0;
        players.forEach(SimPlayer::stopWhenIdle);
        long deadline = System.currentTimeMillis() + graceMillis;
        vertx.setPeriodic(100, id -> {
            if (inMatch() > 0 && System.currentTimeMillis() < deadline) {
                return;
            }
            vertx.cancelTimer(id);
            players.forEach(SimPlayer::close);
            // Let the closes go out, then report what the audit needs.
            vertx.setTimer(500, done -> {
                out.println(stats.tick(connected(), inMatch(), 0).encode());
                players.forEach(SimPlayer::reportUnfinishedRecovery);
                out.println(stats.finish().encode());
                out.flush();
                stopped.countDown();
            });
        });
    }

    private int connected() {
        return (int) players.stream().filter(SimPlayer::connected).count();
    }

    private int inMatch() {
        return (int) players.stream().filter(SimPlayer::inMatch).count();
    }

    void log(String message) {
        System.err.println("[worker " + config.worker() + "] " + message);
    }

    Vertx vertx() {
        return vertx;
    }

    WorkerConfig config() {
        return config;
    }

    WorkerStats stats() {
        return stats;
    }

    AnswerKey answerKey() {
        return answerKey;
    }

    Random random() {
        return random;
    }

    HttpClient http() {
        return http;
    }

    WebSocketClient webSockets() {
        return webSockets;
    }
}
