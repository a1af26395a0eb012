package org.quizengine.engine.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of the cluster: which nodes are members, and whether this one leads. The leader
 * is the oldest member, so every member agrees on it without an election, and the role passes to
 * the next oldest as soon as the leader is seen gone. A node that is not clustered leads itself.
 */
public final class ClusterView {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);
    /**
     * Where vertx-hazelcast keeps each member's Vert.x node id ({@code ClusterManager.getNodeId()}),
     * which is not the Hazelcast member UUID; its {@code getNodes()} reads the same attribute.
     */
    private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";
    /** How often {@link #onMembershipChange} also reads the member list itself. */
    static final long MEMBERSHIP_CHECK_MILLIS = 100;

    private final String nodeId;
    private final ClusterManager clusterManager;
    private final HazelcastInstance hazelcast;
    /**
     * Set once this node lost its quorum or Hazelcast began merging it into another cluster: its view
     * of the members is not to be acted on (it might see itself as the oldest while the merge
     * re-lists them), so it leads nothing until it has restarted as a new member.
     */
    private volatile boolean suspended;
    /** Between Hazelcast's MERGING and MERGED (or MERGE_FAILED) events for this node. */
    private volatile boolean merging;

    private ClusterView(String nodeId, ClusterManager clusterManager) {
        this.nodeId = nodeId;
        this.clusterManager = clusterManager;
        this.hazelcast = clusterManager instanceof HazelcastClusterManager hz ? hz.getHazelcastInstance() : null;
    }

    public static ClusterView of(Vertx vertx, String nodeId) {
        ClusterManager manager = vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
        return new ClusterView(nodeId, manager);
    }

    public boolean clustered() {
        return clusterManager != null;
    }

    /** The Hazelcast member this node is, or {@code null} when it is not clustered through Hazelcast. */
    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    /** How many members this node sees in its cluster (1 when not clustered). */
    public int memberCount() {
        return hazelcast == null ? 1 : hazelcast.getCluster().getMembers().size();
    }

    /**
     * Whether this node's side of the cluster has at least {@code minMembers} members: the same rule
     * by which Hazelcast lets it read and write the engine's maps ({@code cluster.minMembers}).
     */
    public boolean hasQuorum(int minMembers) {
        if (hazelcast == null || minMembers <= 1) {
            return true;
        }
        return memberCount() >= minMembers
            && hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(HazelcastSetup.SPLIT_BRAIN_PROTECTION).hasMinimumSize();
    }

    /**
     * The ids of the nodes in the cluster now (just this one when not clustered), as each node calls
     * itself: its configured id if it has one, else its Vert.x node id. These are the ids that name a
     * node's addresses, its load report and the owner of its matches, so they are what "is this node
     * still a member" must compare with.
     */
    public List<String> nodeIds() {
        if (hazelcast == null) {
            return clusterManager == null ? List.of(nodeId) : clusterManager.getNodes();
        }
        return hazelcast.getCluster().getMembers().stream().map(ClusterView::nodeIdOf).filter(Objects::nonNull).toList();
    }

    /**
     * A member's configured node id, else its Vert.x node id (what the node calls itself when not
     * given one); {@code null} for a member that is no Vert.x node.
     */
    private static String nodeIdOf(Member member) {
        String configured = member.getAttribute(HazelcastSetup.NODE_ID_ATTRIBUTE);
        return configured != null ? configured : member.getAttribute(VERTX_NODE_ID_ATTRIBUTE);
    }

    private static String describe(Member member) {
        String nodeId = nodeIdOf(member);
        return nodeId != null ? nodeId : member.getUuid().toString();
    }

    public boolean isLeader() {
        if (hazelcast == null) {
            return true;
        }
        if (suspended) {
            return false;
        }
        Iterator<Member> members = hazelcast.getCluster().getMembers().iterator();
        return members.hasNext() && members.next().localMember();
    }

    /** The leader's node id (the oldest member), or this node's when not clustered. */
    public String leaderId() {
        if (hazelcast == null) {
            return nodeId;
        }
        Iterator<Member> members = hazelcast.getCluster().getMembers().iterator();
        return members.hasNext() ? nodeIdOf(members.next()) : null;
    }

    /** This node lost its quorum: it leads nothing (no sweep, no matchmaker) until it restarts. */
    public void suspend() {
        suspended = true;
    }

    /** Whether Hazelcast is merging this node into another cluster right now. */
    public boolean merging() {
        return merging;
    }

    /** Whether this node is (still) in a running cluster; always true when not clustered. */
    public boolean active() {
        return hazelcast == null || hazelcast.getLifecycleService().isRunning();
    }

    /**
     * Runs {@code action} on {@code context} when Hazelcast has merged this node into another cluster
     * after a split: the node's view of the cluster (its event-bus subscriptions, what its matches
     * and matchmaker hold) predates the merge, and vertx-hazelcast only reports the member changes.
     */
    public void onMerged(Context context, Runnable action) {
        if (hazelcast == null) {
            return;
        }
        hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGING) {
                suspended = true;
                merging = true;
            }
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED
                || event.getState() == LifecycleEvent.LifecycleState.MERGE_FAILED) {
                merging = false;
                LOG.warn("This node was merged into another cluster ({})", event.getState());
                context.runOnContext(v -> action.run());
            }
        });
    }

    /**
     * Runs {@code action} on {@code context} whenever a member joins or leaves, once per change this
     * node sees. Hazelcast calls back on its own event threads, where a listener can wait behind
     * another one: vertx-hazelcast cleans a dead member's subscriptions on its event thread, which
     * held a listener sharing that thread for over a second after a kill. So the member list (a local
     * read) is also checked every {@link #MEMBERSHIP_CHECK_MILLIS}, and whichever notices first runs
     * the action.
     */
    public void onMembershipChange(Context context, Runnable action) {
        if (hazelcast == null) {
            return;
        }
        MembershipWatch watch = new MembershipWatch(memberUuids(), action);
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                LOG.info("Node {} joined the cluster ({} members)", describe(event.getMember()), event.getMembers().size());
                context.runOnContext(v -> watch.check(memberUuids()));
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                LOG.warn("Node {} left the cluster ({} members)", describe(event.getMember()), event.getMembers().size());
                context.runOnContext(v -> watch.check(memberUuids()));
            }
        });
        context.owner().setPeriodic(MEMBERSHIP_CHECK_MILLIS, id -> context.runOnContext(v -> {
            if (!active()) {
                context.owner().cancelTimer(id); // this node has left its cluster (drained, stopped)
                return;
            }
            watch.check(memberUuids());
        }));
    }

    private Set<UUID> memberUuids() {
        return hazelcast.getCluster().getMembers().stream().map(Member::getUuid).collect(Collectors.toUnmodifiableSet());
    }

    /** The members one action last saw; it runs when they differ. Touched only on the action's context. */
    private static final class MembershipWatch {
        private final Runnable action;
        private Set<UUID> seen;

        MembershipWatch(Set<UUID> members, Runnable action) {
            this.seen = members;
            this.action = action;
        }

        void check(Set<UUID> members) {
            if (!members.equals(seen)) {
                seen = members;
                action.run();
            }
        }
    }
}
