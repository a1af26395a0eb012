package org.quizengine.engine;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.http.ApiContract;
import org.quizengine.api.leaderboard.LeaderboardStore;
import org.quizengine.api.question.QuestionRepository;
import org.quizengine.api.storage.Stores;
import org.quizengine.engine.bus.Codecs;
import org.quizengine.engine.cluster.ClusterView;
import org.quizengine.engine.cluster.Failover;
import org.quizengine.engine.cluster.LeastLoadedPlacement;
import org.quizengine.engine.cluster.LiveMatchRequests;
import org.quizengine.engine.cluster.OperatorRoutes;
import org.quizengine.engine.cluster.PauseWatch;
import org.quizengine.engine.config.NodeOptions;
import org.quizengine.engine.gateway.WebSocketGateway;
import org.quizengine.engine.match.ActivePlayers;
import org.quizengine.engine.match.ClusteredReplication;
import org.quizengine.engine.match.MatchHost;
import org.quizengine.engine.match.Replication;
import org.quizengine.engine.matchmaking.ClaimedMatches;
import org.quizengine.engine.matchmaking.LiveMatches;
import org.quizengine.engine.matchmaking.MatchmakingVerticle;
import org.quizengine.engine.metrics.GameMeters;
import org.quizengine.engine.metrics.NodeMetrics;
import org.quizengine.engine.persistence.ResultOutbox;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.MatchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: its stores, its matches, its matchmaker, and its HTTP/WebSocket servers. Every
 * part is constructed here from {@link NodeOptions} and handed what it needs.
 */
public final class Node {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private final Vertx vertx;
    private final NodeOptions options;
    // Read by stop() from whichever thread stops the node (a shutdown hook, a rejoin).
    private final List<String> deployments = new CopyOnWriteArrayList<>();
    private final AtomicInteger port = new AtomicInteger();
    private Stores stores;
    private NodeServices services;
    private ResultOutbox outbox;
    private WebSocketGateway gateway;
    private final HttpConnections httpConnections;
    private MatchHost matchHost;
    private ClusterView cluster;
    private Replication replication;
    /** Whether this JVM was just stopped longer than its peers wait (clustered only): its match writes must not count. */
    private PauseWatch pauseWatch;
    private LeastLoadedPlacement placement;
    private NodeMetrics metrics;
    private volatile Future<Void> drained;
    private Runnable onOperatorDrain = () -> { };
    private Runnable onLeftCluster = () -> { };
    /** The matchmaker's deployment id, {@link #STARTING} or {@link #STOPPING} while it changes, or null. */
    private volatile String matchmakerDeployment;
    private int quorumBackChecks;
    private Supplier<MatchmakingVerticle> matchmaker;
    /** The matchmaker deployed last, read by the metrics (its queue length). */
    private volatile MatchmakingVerticle deployedMatchmaker;
    /** Whether this node has had its quorum ({@code cluster.minMembers}) since it started. */
    private volatile boolean hadQuorum;
    /** Whether this node had its quorum and has lost it: it serves nothing until it restarts. */
    private volatile boolean cutOff;
    /** Why this node gave up its cluster membership (it restarts it), or null. */
    private volatile String leftCluster;
    private static final String STARTING = "starting";
    private static final String STOPPING = "stopping";
    /** How often the node checks its leadership and quorum besides membership events. */
    private static final long CLUSTER_CHECK_MILLIS = 1_000;
    /** Cluster checks in a row that must see the quorum back before a cut-off node restarts. */
    private static final int QUORUM_BACK_CHECKS = 3;

    private Node(Vertx vertx, NodeOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.httpConnections = new HttpConnections(options.http().maxNonWebSocketConnections());
    }

    /** Starts a node on {@code vertx}; fails if any part (a store, the port) cannot start. */
    public static Future<Node> start(Vertx vertx, NodeOptions options) {
        Node node = new Node(vertx, withNodeId(options, vertx));
        // A failed start leaves nothing of its own running (embedded stores hold the data directory), only
        // the Vert.x it was given, whose close undeploys what had been deployed.
        return Future.<Void>succeededFuture().compose(v -> node.startParts()).map(node)
            .recover(e -> {
                node.stopWatching();
                return node.closeStores().transform(v -> Future.failedFuture(e));
            });
    }

    /** The configured node id, else the cluster member id (so membership maps to nodes), else a random one. */
    private static NodeOptions withNodeId(NodeOptions options, Vertx vertx) {
        if (options.nodeId() != null) {
            return options;
        }
        if (vertx instanceof VertxInternal internal && internal.clusterManager() != null) {
            return options.withNodeId(internal.clusterManager().getNodeId());
        }
        return options.withNodeId(NodeOptions.randomNodeId());
    }

    private Future<Void> startParts() {
        LongSupplier clock = System::currentTimeMillis;
        Codecs.registerAll(vertx.eventBus());
        LOG.info("Node {} starting its parts {} ms after its JVM started{}", options.nodeId(),
            ManagementFactory.getRuntimeMXBean().getUptime(), vertx.isClustered() ? ", a cluster member" : "");
        Future<Stores> starting = Stores.start(vertx, options.storage());
        // Parsed on a worker while the stores start (it needs neither): parsing the document takes
        // seconds of CPU on a busy machine, which on the event loop held up the stores' start too.
        Future<ApiContract> contract = vertx.executeBlocking(() -> ApiContract.load(vertx), false)
            .compose(loaded -> loaded);
        return starting.compose(started -> {
            stores = started;
            services = NodeServices.create(vertx, stores, options);
            metrics = new NodeMetrics(vertx, options.nodeId(),
                new NodeMetrics.NodeFigures(this::connectedPlayers, this::liveMatches, this::matchmakingQueued, this::draining),
                new NodeMetrics.ClusterFigures(() -> cluster.nodeIds().size(), this::runsMatchmaker, this::outboxBacklog),
                new NodeMetrics.StorePings(stores::pingPostgres, stores::pingRedis, () -> stores.pool().size()));
            GameMeters meters = metrics.game();
            // Counted as well as logged: a response whose writer threw is never sent, and the
            // request waits until its client gives up, so operators must see that it happened.
            vertx.exceptionHandler(e -> {
                meters.unhandledError();
                LOG.error("Unhandled exception", e);
            });
            outbox = new ResultOutbox(vertx, options.storage().dataDir().resolve("outbox").toString(),
                List.of(timed(services.results()::save, true, meters), timed(services::applyToLeaderboards, false, meters)),
                services.results()::isStored);
            cluster = ClusterView.of(vertx, options.nodeId());
            pauseWatch = cluster.hazelcast() == null ? null : PauseWatch.start(options.cluster().maxNoHeartbeatSeconds());
            replication = cluster.hazelcast() == null ? Replication.none()
                : new ClusteredReplication(vertx, cluster.hazelcast(),
                    () -> !pauseWatch.recentlyPaused() && cluster.hasQuorum(options.cluster().minMembers()));
            ActivePlayers activePlayers = new ActivePlayers(vertx);
            matchHost = new MatchHost(options.nodeId(), options.match(), outbox, replication,
                node -> cluster.nodeIds().contains(node), activePlayers, meters, clock);
            gateway = new WebSocketGateway(vertx, options.nodeId(), options.gateway(), services.sessions()::authenticate,
                activePlayers, cluster, matchHost::ask, replication::ownerOf,
                meters, clock, httpConnections::upgraded);
            placement = new LeastLoadedPlacement(vertx, options.nodeId(), cluster, matchHost::liveMatches,
                () -> gateway.connectedPlayers(), this::runsMatchmaker);
            Failover failover = new Failover(vertx, cluster, replication, placement, outbox);
            QuestionRepository questions = services.questions();
            LiveMatches liveMatches = new ClaimedMatches(activePlayers,
                cluster.clustered() ? ClaimedMatches.replicated(replication) : ClaimedMatches.local(matchHost::plays));
            matchmaker = () -> new MatchmakingVerticle(options.matchmaking(), options.match(),
                questions::loadActive, placement, liveMatches, meters, clock, new SecureRandom());
            return services.prepare()
                .compose(v -> gateway.start())
                .compose(v -> deploy(vertx.deployVerticle(matchHost)))
                // Without quorum the shared maps refuse this; the node starts anyway and waits for its peers.
                .compose(v -> placement.start().recover(e -> withoutQuorum("report its load", e)))
                .onSuccess(v -> {
                    failover.start();
                    cluster.onMembershipChange(vertx.getOrCreateContext(), matchHost::membershipChanged);
                })
                .compose(v -> runMatchmakerWhileLeader())
                .compose(v -> outbox.start().<Void>mapEmpty().recover(e -> withoutQuorum("resume pending results", e)))
                .compose(v -> listenForOperators())
                .compose(v -> contract)
                .compose(api -> startHttp(withMetrics(services.router(api, gateway, this::readiness,
                    router -> new OperatorRoutes(vertx, options.nodeId(), cluster, placement, this::outboxBacklog)
                        .mount(router)))));
        });
    }

    /** A store's write that records, when it wrote the result now (not a retry of one already there), how long after its match it landed. */
    private static Function<MatchResult, Future<Boolean>> timed(Function<MatchResult, Future<Boolean>> store, boolean postgres,
                                                               GameMeters meters) {
        return result -> store.apply(result).onSuccess(written -> {
            if (written) {
                meters.resultStored(postgres, System.currentTimeMillis() - result.finishedAt());
            }
        });
    }

    private Future<Void> withoutQuorum(String what, Throwable cause) {
        LOG.warn("Node {} could not {} yet ({}); it carries on", options.nodeId(), what, cause.getMessage());
        return Future.succeededFuture();
    }

    /**
     * The matchmaker is one per cluster, on the leader (the oldest member), and only while the leader's
     * side has its quorum. Every membership change, merge and second, the node checks: it starts the
     * matchmaker when it leads and stops it when it no longer does, so two sides of a split that heal
     * keep one. Queues and lobbies on a matchmaker that stops are lost; their players must ask again.
     */
    private Future<Void> runMatchmakerWhileLeader() {
        Context context = vertx.getOrCreateContext();
        cluster.onMembershipChange(context, this::checkCluster);
        cluster.onMerged(context, () -> leaveCluster("Hazelcast merged it into another cluster after a split"));
        if (cluster.clustered()) {
            vertx.setPeriodic(CLUSTER_CHECK_MILLIS, id -> checkCluster());
        }
        hadQuorum = cluster.hasQuorum(options.cluster().minMembers());
        return leads() ? deployMatchmaker() : Future.succeededFuture();
    }

    private boolean leads() {
        return cluster.isLeader() && cluster.hasQuorum(options.cluster().minMembers()) && drained == null && leftCluster == null;
    }

    /**
     * A node that had its quorum and lost it was cut off or frozen: the majority takes its matches
     * over, and its own writes fail. It stops its matchmaker and sends its players elsewhere; once
     * Hazelcast merges it back into the majority, it restarts as a new member ({@link #leaveCluster}).
     */
    private void checkCluster() {
        if (drained != null || leftCluster != null) {
            return;
        }
        int minMembers = options.cluster().minMembers();
        if (cutOff) {
            rejoinOnceQuorumIsBack(minMembers);
        } else if (cluster.hasQuorum(minMembers)) {
            hadQuorum = true;
        } else if (hadQuorum) {
            cutOff = true;
            cluster.suspend();
            LOG.error("Node {} lost its quorum: it sees {} of the {} members it needs; it serves nothing until it rejoins",
                options.nodeId(), cluster.memberCount(), minMembers);
            gateway.disconnectAll("This node lost its cluster; connect again to carry on.");
        }
        boolean leads = leads();
        if (leads && matchmakerDeployment == null) {
            deployMatchmaker().onFailure(e -> LOG.error("Node {} could not start the matchmaker", options.nodeId(), e));
        } else if (!leads && runsMatchmaker()) {
            stopMatchmaker(cutOff || cluster.isLeader() ? "its side of the cluster lacks quorum" : "it no longer leads");
        }
    }

    /**
     * A cut-off node that sees its quorum again without being merged (the members it lost came back
     * or were replaced, and joined it) restarts as well: it suspended itself, and as the oldest
     * member it would otherwise keep every node from leading. A merge shows the members for a moment
     * too, so quorum must hold for a few checks in a row with no merge under way (a merge ends in
     * {@link #leaveCluster} anyway).
     */
    private void rejoinOnceQuorumIsBack(int minMembers) {
        if (!cluster.hasQuorum(minMembers) || cluster.merging()) {
            quorumBackChecks = 0;
            return;
        }
        if (++quorumBackChecks >= QUORUM_BACK_CHECKS) {
            leaveCluster("it sees its quorum again (" + cluster.memberCount() + " members)");
        }
    }

    private Future<Void> deployMatchmaker() {
        matchmakerDeployment = STARTING;
        MatchmakingVerticle verticle = matchmaker.get();
        deployedMatchmaker = verticle;
        return vertx.deployVerticle(verticle)
            .onSuccess(id -> {
                matchmakerDeployment = id;
                deployments.add(id);
                LOG.info("Node {} runs the matchmaker", options.nodeId());
            })
            .onFailure(e -> matchmakerDeployment = null)
            .mapEmpty();
    }

    private void stopMatchmaker(String why) {
        String id = matchmakerDeployment;
        matchmakerDeployment = STOPPING;
        deployments.remove(id);
        vertx.undeploy(id).onComplete(done -> {
            matchmakerDeployment = null;
            LOG.warn("Node {} stopped the matchmaker: {}", options.nodeId(), why);
        });
    }

    /**
     * Gives up this node's cluster membership after Hazelcast merged it into another cluster: what it
     * held predates the merge (its matches were taken over, its event-bus subscriptions are not
     * restored by vertx-hazelcast). Its sockets are told to reconnect elsewhere and it stops; whoever
     * started it (Main) starts it again, as a new member of the cluster.
     */
    private void leaveCluster(String why) {
        if (leftCluster != null || drained != null) {
            return;
        }
        leftCluster = why;
        LOG.error("Node {} left its cluster: {}; it stops and joins again", options.nodeId(), why);
        if (runsMatchmaker()) {
            stopMatchmaker("it left its cluster");
        }
        gateway.disconnectAll("This node lost its cluster; connect again to carry on.")
            .transform(v -> stop())
            .onComplete(v -> onLeftCluster.run());
    }

    /** What to do once this node has left a cluster it lost (Main starts it again). */
    public Node onLeftCluster(Runnable action) {
        this.onLeftCluster = action;
        return this;
    }

    private Router withMetrics(Router root) {
        metrics.mount(root);
        return root;
    }

    /** Players in the quick-match queues, if this node runs the matchmaker. */
    private int matchmakingQueued() {
        MatchmakingVerticle verticle = deployedMatchmaker;
        return verticle != null && runsMatchmaker() ? verticle.queued() : 0;
    }

    private Future<ResultOutbox.Backlog> outboxBacklog() {
        return outbox.backlog(System.currentTimeMillis());
    }

    private Future<Void> startHttp(Router router) {
        // One server per event loop share the port, so that accepted sockets are spread over every loop.
        return deploy(vertx.deployVerticle(
            () -> new HttpVerticle(options.http(), options.gateway(), router, httpConnections, port::set),
            new DeploymentOptions().setInstances(options.eventLoops())));
    }

    private Future<Void> deploy(Future<String> deployment) {
        return deployment.onSuccess(deployments::add).mapEmpty();
    }

    /** The Vert.x this node runs on (closed with it). */
    public Vertx vertx() {
        return vertx;
    }

    /** The port the HTTP server is bound to. */
    public int port() {
        return port.get();
    }

    public String nodeId() {
        return options.nodeId();
    }

    public Stores stores() {
        return stores;
    }

    public ResultOutbox outbox() {
        return outbox;
    }

    public int connectedPlayers() {
        return gateway.connectedPlayers();
    }

    /** Whether this node runs the cluster's matchmaker. */
    public boolean runsMatchmaker() {
        return matchmakerDeployment != null && !STARTING.equals(matchmakerDeployment) && !STOPPING.equals(matchmakerDeployment);
    }

    public int liveMatches() {
        return matchHost.liveMatches();
    }

    /**
     * Ready for traffic only while in its cluster, on a side with quorum, and not draining (the stores
     * are checked beside this): players on a node cut off from the majority reconnect elsewhere.
     */
    private Future<Void> readiness() {
        if (drained != null) {
            return Future.failedFuture("draining");
        }
        if (leftCluster != null || cutOff || !cluster.active()) {
            return Future.failedFuture("not in its cluster");
        }
        int minMembers = options.cluster().minMembers();
        return cluster.hasQuorum(minMembers) ? Future.succeededFuture()
            : Future.failedFuture("without quorum: " + cluster.memberCount() + " of " + minMembers + " members");
    }

    /** An operator (through any node's admin endpoint) may ask this node to drain, or about the matches it plays. */
    private Future<Void> listenForOperators() {
        return vertx.eventBus().<Object>consumer(Addresses.nodeAdmin(options.nodeId()), message -> {
            if ("drain".equals(message.body())) {
                message.reply("draining");
                LOG.warn("Node {}: an operator asked it to drain", options.nodeId());
                drain().onComplete(v -> onOperatorDrain.run());
            } else if (LiveMatchRequests.isOne(message.body())) {
                LiveMatchRequests.answer(matchHost, (JsonObject) message.body())
                    .onSuccess(message::reply)
                    .onFailure(e -> message.fail((e instanceof QuizException refused ? refused.code()
                        : ErrorCode.INTERNAL_ERROR).busCode(), e.getMessage()));
            } else {
                message.fail(ErrorCode.INVALID_MESSAGE.busCode(), "Unknown operator request.");
            }
        }).completion();
    }

    /** What to do once an operator's drain is done (the process exits, for a node started by Main). */
    public Node onOperatorDrain(Runnable action) {
        this.onOperatorDrain = action;
        return this;
    }

    /** Whether this node is leaving the cluster. */
    public boolean draining() {
        return drained != null;
    }

    /**
     * Leaves gracefully: takes no new matches, hands its live matches to other nodes (they carry on
     * from their replicated state, deadlines intact), tells its sockets to reconnect elsewhere,
     * finishes the result writes under way, then stops. A node alone in no cluster just stops.
     */
    public Future<Void> drain() {
        if (drained != null) {
            return drained;
        }
        if (!cluster.clustered()) {
            drained = stop();
            return drained;
        }
        LOG.info("Node {} draining: {} live matches, {} players", options.nodeId(), liveMatches(), connectedPlayers());
        Promise<Void> done = Promise.promise();
        drained = done.future();
        gateway.refuseNewSockets();
        placement.stopTakingMatches()
            .compose(v -> matchHost.handOver(placement::chooseNode))
            .compose(v -> gateway.disconnectAll("This node is shutting down; connect again to carry on."))
            .compose(v -> outbox.flush(10_000))
            .onComplete(v -> {
                LOG.info("Node {} drained; leaving the cluster", options.nodeId());
                stop().onComplete(done);
            });
        return drained;
    }

    /** Stops serving, then closes the stores. Results still pending stay in the outbox spool for the next start. */
    public Future<Void> stop() {
        List<Future<Void>> undeployed = new ArrayList<>();
        for (int i = deployments.size() - 1; i >= 0; i--) {
            undeployed.add(vertx.undeploy(deployments.get(i)).recover(e -> Future.succeededFuture()));
        }
        // Completed from vertx.close() itself: a future of one of this Vert.x's contexts could never be
        // told, since closing ends those contexts.
        Promise<Void> stopped = Promise.promise();
        stopWatching();
        Future.join(undeployed)
            .transform(v -> closeStores())
            .onComplete(v -> vertx.close().onComplete(stopped));
        return stopped.future();
    }

    private void stopWatching() {
        if (outbox != null) {
            outbox.close();
        }
        if (pauseWatch != null) {
            pauseWatch.stop();
        }
    }

    private Future<Void> closeStores() {
        return (services == null ? Future.<Void>succeededFuture() : services.close())
            .transform(v -> stores == null ? Future.<Void>succeededFuture() : stores.close());
    }
}
