package org.quizengine.engine.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.quizengine.engine.match.Replication;
import org.quizengine.engine.matchmaking.MatchPlacement;
import org.quizengine.engine.persistence.ResultOutbox;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.AdoptMatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps live matches running when their node dies. The leader sweeps the replicated matches
 * whenever a member leaves: each match whose owner is no longer a member is handed to the
 * least-loaded live node, which carries it on from its replicated state. While a sweep finds such
 * matches (or cannot read them), the leader sweeps again every few seconds until none is left; a
 * slow safety sweep catches anything else. A sweep reads every live match's owner (not its record),
 * across the cluster, so it does not run every few seconds when nothing is wrong. Every node also picks up results that a departed
 * node had not stored yet.
 */
public final class Failover {
    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);
    /** How soon the leader sweeps again while matches are still being handed over. */
    static final long SWEEP_MILLIS = 3_000;
    /** How often the leader sweeps when nothing is known to be wrong. */
    static final long SAFETY_SWEEP_MILLIS = 30_000;

    private final Vertx vertx;
    private final ClusterView cluster;
    private final Replication replication;
    private final MatchPlacement placement;
    private final ResultOutbox outbox;
    private final Set<UUID> handingOver = ConcurrentHashMap.newKeySet();

    public Failover(Vertx vertx, ClusterView cluster, Replication replication, MatchPlacement placement,
                    ResultOutbox outbox) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.replication = replication;
        this.placement = placement;
        this.outbox = outbox;
    }

    public void start() {
        if (!cluster.clustered()) {
            return;
        }
        cluster.onMembershipChange(vertx.getOrCreateContext(), () -> {
            sweep();
            outbox.resumePending();
        });
        vertx.setPeriodic(SAFETY_SWEEP_MILLIS, id -> sweep());
    }

    private void sweep() {
        if (!cluster.isLeader()) {
            return;
        }
        Set<String> members = Set.copyOf(cluster.nodeIds());
        long startedAt = System.nanoTime();
        replication.owners().onSuccess(matches -> {
            long readMillis = (System.nanoTime() - startedAt) / 1_000_000;
            boolean orphans = false;
            for (Map.Entry<UUID, Replication.Fence> entry : matches.entrySet()) {
                Replication.Fence owner = entry.getValue();
                if (!members.contains(owner.owner())) {
                    orphans = true;
                    if (handingOver.add(entry.getKey())) {
                        handOver(entry.getKey(), owner, readMillis);
                    }
                }
            }
            if (orphans) {
                vertx.setTimer(SWEEP_MILLIS, id -> sweep());
            }
        }).onFailure(e -> {
            LOG.warn("Could not read the live matches to fail over: {}", e.getMessage());
            vertx.setTimer(SWEEP_MILLIS, id -> sweep());
        });
    }

    private void handOver(UUID matchId, Replication.Fence lost, long sweepMillis) {
        String target = placement.chooseNode();
        LOG.atWarn().addKeyValue("match", matchId)
            .log("Match {} lost its node {}; handing it to {} (the sweep read the live matches in {} ms)", matchId,
                lost.owner(), target, sweepMillis);
        vertx.eventBus().request(Addresses.nodeMatches(target), new AdoptMatch(matchId, lost.owner(), lost.epoch()),
                new DeliveryOptions().setSendTimeout(10_000))
            .onComplete(done -> {
                handingOver.remove(matchId);
                if (done.failed()) {
                    LOG.atWarn().addKeyValue("match", matchId)
                        .log("Match {} could not be handed to {} ({}); the next sweep tries again", matchId, target,
                            done.cause().getMessage());
                }
            });
    }
}
