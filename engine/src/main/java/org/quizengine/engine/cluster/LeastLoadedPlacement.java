package org.quizengine.engine.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.quizengine.engine.matchmaking.MatchPlacement;
import org.quizengine.shared.Wire;
import org.quizengine.shared.bus.Addresses;

/**
 * Places new matches on the member with the fewest live matches ("load" is live matches: each
 * one costs its players' sockets, timers and bus traffic alike). Every node reports its own load
 * each second into a shared map with a short time to live, so a dead node drops out by itself and a
 * node that just joined, at load 0, takes the next matches at once. The report also carries what
 * the node believes of the cluster (its matchmaker, its member list) for the operator view.
 */
public final class LeastLoadedPlacement implements MatchPlacement {
    static final long REPORT_MILLIS = 1_000;
    static final long LOAD_TTL_MILLIS = 5_000;

    private final Vertx vertx;
    private final String nodeId;
    private final ClusterView cluster;
    private final IntSupplier ownLoad;
    private final IntSupplier ownPlayers;
    private final BooleanSupplier runsMatchmaker;
    // Replaced whole on the node's context, read from the matchmaker's and the HTTP servers' loops.
    private volatile Map<String, Integer> loads = Map.of();
    private volatile Map<String, NodeStatus> statuses = Map.of();
    private long reportTimer = -1;
    private volatile boolean draining;

    public LeastLoadedPlacement(Vertx vertx, String nodeId, ClusterView cluster, IntSupplier ownLoad,
                                IntSupplier ownPlayers, BooleanSupplier runsMatchmaker) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.cluster = cluster;
        this.ownLoad = ownLoad;
        this.ownPlayers = ownPlayers;
        this.runsMatchmaker = runsMatchmaker;
    }

    /** The latest status of every node that reports (a draining node no longer does). */
    public Map<String, NodeStatus> statuses() {
        return statuses;
    }

    /** Starts reporting this node's load and reading everyone's. */
    public Future<Void> start() {
        reportTimer = vertx.setPeriodic(REPORT_MILLIS, id -> report().onComplete(v -> refresh()));
        return report().compose(v -> refresh());
    }

    /** This node is draining: it stops reporting (so it gets no new matches) and places nothing on itself. */
    public Future<Void> stopTakingMatches() {
        draining = true;
        vertx.cancelTimer(reportTimer);
        return map().compose(map -> map.remove(nodeId)).compose(v -> refresh());
    }

    @Override
    public String chooseNode() {
        String best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (String node : cluster.nodeIds()) {
            Integer load = loads.get(node);
            if (load == null || (draining && node.equals(nodeId))) {
                continue; // not reporting (yet): it may not serve matches
            }
            if (load < bestLoad || (load == bestLoad && ThreadLocalRandom.current().nextBoolean())) {
                best = node;
                bestLoad = load;
            }
        }
        if (best == null) {
            return nodeId;
        }
        // Count the match now, so a burst of new matches spreads before the next report.
        Map<String, Integer> updated = new HashMap<>(loads);
        updated.merge(best, 1, Integer::sum);
        loads = updated;
        return best;
    }

    private Future<Void> report() {
        NodeStatus status = new NodeStatus(nodeId, ownLoad.getAsInt(), ownPlayers.getAsInt(), System.currentTimeMillis(),
            runsMatchmaker.getAsBoolean(), cluster.nodeIds());
        return map().compose(map -> map.put(nodeId, Wire.encode(status), LOAD_TTL_MILLIS));
    }

    private Future<Void> refresh() {
        return map().compose(AsyncMap::entries).onSuccess(entries -> {
            Map<String, NodeStatus> read = new HashMap<>();
            Map<String, Integer> load = new HashMap<>();
            entries.forEach((node, json) -> {
                NodeStatus status = Wire.decode(json, NodeStatus.class);
                read.put(node, status);
                load.put(node, status.liveMatches());
            });
            statuses = Map.copyOf(read);
            loads = Map.copyOf(load);
        }).mapEmpty();
    }

    private Future<AsyncMap<String, String>> map() {
        return vertx.sharedData().getAsyncMap(Addresses.NODE_LOAD_MAP);
    }
}
