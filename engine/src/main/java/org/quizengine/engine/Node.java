package org.quizengine.engine;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.quizengine.api.auth.TokenService;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.leaderboard.LeaderboardStore;
import org.quizengine.api.question.QuestionRepository;
import org.quizengine.api.storage.Stores;
import org.quizengine.engine.bus.Codecs;
import org.quizengine.engine.config.NodeOptions;
import org.quizengine.engine.gateway.WebSocketGateway;
import org.quizengine.engine.match.ActivePlayers;
import org.quizengine.engine.match.MatchHost;
import org.quizengine.engine.matchmaking.MatchmakingVerticle;
import org.quizengine.engine.persistence.ResultOutbox;
import org.quizengine.shared.protocol.PlayerInfo;

/**
 * One running node: its stores, its matches, its matchmaker, and its HTTP/WebSocket servers. Every
 * part is constructed here from {@link NodeOptions} and handed what it needs.
 */
public final class Node {
    private final Vertx vertx;
    private final NodeOptions options;
    private final List<String> deployments = new ArrayList<>();
    private final AtomicInteger port = new AtomicInteger();
    private Stores stores;
    private NodeServices services;
    private ResultOutbox outbox;
    private WebSocketGateway gateway;
    private MatchHost matchHost;

    private Node(Vertx vertx, NodeOptions options) {
        this.vertx = vertx;
        this.options = options;
    }

    /** Starts a node on {@code vertx}; fails if any part (a store, the port) cannot start. */
    public static Future<Node> start(Vertx vertx, NodeOptions options) {
        Node node = new Node(vertx, options);
        return node.startParts().map(node);
    }

    private Future<Void> startParts() {
        LongSupplier clock = System::currentTimeMillis;
        Codecs.registerAll(vertx.eventBus());
        return Stores.start(vertx, options.storage()).compose(started -> {
            stores = started;
            services = NodeServices.create(vertx, stores, options);
            outbox = new ResultOutbox(vertx, options.storage().dataDir().resolve("outbox").toString(),
                List.of(services.results()::save, services.leaderboards()::apply));
            TokenService tokens = services.tokens();
            gateway = new WebSocketGateway(vertx, options.nodeId(), options.gateway(),
                token -> tokens.verify(token).map(user -> new PlayerInfo(user.userId(), user.username())),
                new ActivePlayers(vertx), clock);
            matchHost = new MatchHost(options.nodeId(), options.match(), outbox, clock);
            QuestionRepository questions = services.questions();
            return services.prepare()
                .compose(v -> gateway.start())
                .compose(v -> deploy(vertx.deployVerticle(matchHost)))
                .compose(v -> deploy(vertx.deployVerticle(new MatchmakingVerticle(options.matchmaking(), options.match(),
                    questions::loadActive, options::nodeId, clock, new SecureRandom()))))
                .compose(v -> outbox.resumePending().mapEmpty())
                .compose(v -> startHttp(services.router(gateway)));
        });
    }

    private Future<Void> startHttp(Router router) {
        // Port 0 (tests) must be one server; a fixed port is shared by one server per core.
        int instances = options.http().port() == 0 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors());
        return deploy(vertx.deployVerticle(() -> new HttpVerticle(options.http(), options.gateway(), router, port::set),
            new DeploymentOptions().setInstances(instances)));
    }

    private Future<Void> deploy(Future<String> deployment) {
        return deployment.onSuccess(deployments::add).mapEmpty();
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

    public int liveMatches() {
        return matchHost.liveMatches();
    }

    /** Stops serving, then closes the stores. Results still pending stay in the outbox spool for the next start. */
    public Future<Void> stop() {
        List<Future<Void>> undeployed = new ArrayList<>();
        for (int i = deployments.size() - 1; i >= 0; i--) {
            undeployed.add(vertx.undeploy(deployments.get(i)).recover(e -> Future.succeededFuture()));
        }
        return Future.join(undeployed)
            .transform(v -> services == null ? Future.succeededFuture() : services.close())
            .transform(v -> stores == null ? Future.succeededFuture() : stores.close())
            .transform(v -> vertx.close());
    }
}
