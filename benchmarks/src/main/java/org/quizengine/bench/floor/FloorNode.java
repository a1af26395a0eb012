package org.quizengine.bench.floor;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.quizengine.bench.load.Histograms;
import org.quizengine.engine.cluster.HazelcastFutures;
import org.quizengine.engine.cluster.HazelcastSetup;
import org.quizengine.engine.config.ClusterOptions;
import org.quizengine.engine.config.ConfigLoader;
import org.quizengine.shared.bus.Addresses;

/**
 * One node of {@link ClusterFloor}, in its own JVM: answers the requests sent to it (replicating each
 * first when clustered), sends a reveal to every other node once per {@link #REVEAL_EVERY} answers,
 * and sends its share of the requests. Configured like a real node, from {@code QUIZ_*} variables.
 *
 * <p>Talks to the parent over its standard streams, one word a line: {@code start}, {@code mark}
 * (counting starts again), {@code report} (answered with a {@code report} line), {@code stop}. Its
 * logs go to stderr so that stdout carries only those lines.
 */
final class FloorNode extends VerticleBase {
    static final int ANSWER_BYTES = 60;
    static final int DELIVERY_BYTES = 2_800;
    /** The "matches" a node hosts: the keys its writes go to. */
    static final int MATCHES_PER_NODE = 100;
    /** A question's reveal per this many answers (matches of 10 players). */
    static final int REVEAL_EVERY = 10;
    private static final long TICK_MILLIS = 10;

    private final int index;
    private final int nodes;
    private final double opsPerSecond;
    private final PrintStream parent;
    private final SplittableRandom random = new SplittableRandom();
    private final byte[] answer = new byte[ANSWER_BYTES];
    private final byte[] ack = new byte[ANSWER_BYTES];
    private final byte[] delivery = new byte[DELIVERY_BYTES];
    /** The live-matches map when clustered, null for a node alone (which replicates nothing). */
    private IMap<String, byte[]> liveMatches;
    private Histogram roundTripMicros = new Histogram(3);
    /** Answers this node has handled since it started: picks the match and the reveals. */
    private long answered;
    // Counted since the last mark:
    private long completed;
    private long failed;
    private long handled;
    private long deliveries;
    /** Answers written to this node's records, backup included, since the mark. */
    private long replicated;
    private long issued;
    private long driver = -1;

    private FloorNode(int index, int nodes, double opsPerSecond, PrintStream parent) {
        this.index = index;
        this.nodes = nodes;
        this.opsPerSecond = opsPerSecond;
        this.parent = parent;
        random.nextBytes(answer);
        random.nextBytes(ack);
        random.nextBytes(delivery);
    }

    /** The child's main: {@code --child <index> <nodes> <ops per second of this node>}. */
    static void run(String[] args) throws Exception {
        PrintStream parent = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        FloorNode node = new FloorNode(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]), parent);
        Vertx vertx = await(startVertx(node.index, node.nodes > 1));
        await(vertx.deployVerticle(node));
        parent.println("ready");
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        // End of input means the parent is gone: stop too.
        while ((line = commands.readLine()) != null && !line.equals("stop")) {
            String command = line;
            node.context.runOnContext(v -> node.command(command));
        }
        await(vertx.close());
        System.exit(0);
    }

    /**
     * Vert.x built the way the engine's {@code Main.startVertx} builds it: {@code node.eventLoops}
     * loops (one per two cores by default), epoll when {@code node.nativeTransport}, and clustered
     * through {@link HazelcastSetup} with the {@code cluster.*} settings, plus this probe's write.
     */
    private static Future<Vertx> startVertx(int index, boolean clustered) {
        JsonObject config = ConfigLoader.load(System.getenv());
        JsonObject node = config.getJsonObject("node");
        int eventLoops = node.getInteger("eventLoops") > 0 ? node.getInteger("eventLoops")
            : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        Transport transport = node.getBoolean("nativeTransport") && Transport.nativeTransport() != null
            && Transport.nativeTransport().available() ? Transport.nativeTransport() : Transport.NIO;
        System.err.println("floor node " + index + ": " + eventLoops + " event loop(s), transport " + transport.name());
        VertxBuilder builder = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(eventLoops)).withTransport(transport);
        if (!clustered) {
            return Future.succeededFuture(builder.build());
        }
        HazelcastClusterManager manager = HazelcastSetup.clusterManager(clusterOptions(config.getJsonObject("cluster")),
            "floor-" + index);
        AppendBytes.register(manager.getConfig());
        return builder.withClusterManager(manager).buildClustered();
    }

    /** The {@code cluster.*} settings as the engine reads them (its reader is package-private). */
    private static ClusterOptions clusterOptions(JsonObject cluster) {
        return new ClusterOptions(true, cluster.getString("name"), ClusterOptions.Discovery.MEMBERS,
            Arrays.stream(cluster.getString("members").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
            cluster.getString("interface"), cluster.getInteger("port"), cluster.getInteger("heartbeatSeconds"),
            cluster.getInteger("maxNoHeartbeatSeconds"), null, null, cluster.getInteger("minMembers"), null,
            cluster.getInteger("ioThreads"));
    }

    @Override
    public Future<?> start() {
        if (vertx.isClustered()) {
            HazelcastInstance hazelcast = ((HazelcastClusterManager) ((VertxInternal) vertx).clusterManager()).getHazelcastInstance();
            liveMatches = hazelcast.getMap(Addresses.LIVE_MATCHES_MAP);
        }
        return Future.all(
            vertx.eventBus().<Buffer>consumer(nodeAddress(index), this::answer).completion(),
            vertx.eventBus().<Buffer>consumer(deliveryAddress(index), message -> deliveries++).completion());
    }

    private void command(String command) {
        switch (command) {
            case "start" -> drive();
            case "mark" -> mark();
            case "report" -> report();
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        }
    }

    /** Issues this node's requests at its rate, catching up on the clock so a late tick loses none. */
    private void drive() {
        if (opsPerSecond <= 0) {
            return;
        }
        long started = System.nanoTime();
        driver = vertx.setPeriodic(TICK_MILLIS, id -> {
            long due = (long) ((System.nanoTime() - started) / 1e9 * opsPerSecond);
            while (issued < due) {
                issued++;
                request();
            }
        });
    }

    private void mark() {
        if (failed > 0) {
            System.err.println("floor node " + index + ": " + failed + " requests failed before the mark");
        }
        completed = 0;
        failed = 0;
        handled = 0;
        deliveries = 0;
        replicated = 0;
        roundTripMicros = new Histogram(3);
    }

    /** The figures since the mark; the window is over, so this node stops sending (the others stop soon after). */
    private void report() {
        vertx.cancelTimer(driver);
        parent.println(String.join(" ", "report", Long.toString(completed), Long.toString(failed), Long.toString(handled),
            Long.toString(deliveries), Histograms.encode(roundTripMicros), Long.toString(replicated), Long.toString(backupEntries())));
    }

    /** A player's answer: to a node picked at random, so 1 in {@code nodes} stays on this node. */
    private void request() {
        long sent = System.nanoTime();
        vertx.eventBus().<Buffer>request(nodeAddress(random.nextInt(nodes)), Buffer.buffer(answer)).onComplete(reply -> {
            if (reply.failed()) {
                if (failed++ == 0) {
                    System.err.println("floor node " + index + ": a request failed: " + reply.cause());
                }
                return;
            }
            completed++;
            roundTripMicros.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent));
        });
    }

    /** The match's node: replicates the answer, then acknowledges it; every tenth answer also reveals. */
    private void answer(Message<Buffer> message) {
        answered++;
        handled++;
        replicate(message.body().getBytes()).onComplete(done -> {
            if (done.succeeded()) {
                message.reply(Buffer.buffer(ack));
            } else {
                message.fail(1, String.valueOf(done.cause()));
            }
        });
        if (answered % REVEAL_EVERY == 0) {
            for (int other = 0; other < nodes; other++) {
                if (other != index) {
                    vertx.eventBus().send(deliveryAddress(other), Buffer.buffer(delivery));
                }
            }
        }
    }

    /** The records this member holds as another's backup: 0 alone, or if nothing was replicated here. */
    private long backupEntries() {
        return liveMatches == null ? 0 : liveMatches.getLocalMapStats().getBackupEntryCount();
    }

    private Future<Void> replicate(byte[] bytes) {
        if (liveMatches == null) {
            return Future.succeededFuture();
        }
        String match = "floor-" + index + "-match-" + answered % MATCHES_PER_NODE;
        return HazelcastFutures.onContext(vertx, liveMatches.submitToKey(match, new AppendBytes(bytes)))
            .onSuccess(done -> replicated++);
    }

    private static String nodeAddress(int node) {
        return "floor.node." + node;
    }

    private static String deliveryAddress(int node) {
        return "floor.delivery." + node;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }
}
