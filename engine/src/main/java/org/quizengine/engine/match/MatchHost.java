package org.quizengine.engine.match;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.quizengine.engine.config.MatchOptions;
import org.quizengine.engine.metrics.GameMeters;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.AdoptMatch;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.protocol.ServerFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the matches placed on this node, each as its own {@link MatchVerticle}, and counts them. */
public final class MatchHost extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MatchHost.class);

    private final MatchServices services;
    private final AtomicInteger liveMatches = new AtomicInteger();
    /** The matches running here: match id to its verticle and deployment id. */
    private final Map<UUID, Running> running = new ConcurrentHashMap<>();
    /** Matches deployed or being deployed here: a match is never run twice on one node. */
    private final Set<UUID> hosted = ConcurrentHashMap.newKeySet();

    private record Running(String deploymentId, MatchVerticle verticle) {
    }
    private MessageConsumer<Object> consumer;

    public MatchHost(String nodeId, MatchOptions options, ResultSink results, Replication replication,
                     Predicate<String> nodeAlive, ActivePlayers activePlayers, GameMeters meters, LongSupplier clock) {
        this.services = new MatchServices(nodeId, replication, nodeAlive, options, results, activePlayers, meters, clock);
    }

    /** Live matches on this node right now. */
    public int liveMatches() {
        return liveMatches.get();
    }

    /** Whether the match is being played on this node now: deployed and not over (a lingering match is not). */
    public boolean plays(UUID matchId) {
        Running match = running.get(matchId);
        return match != null && !match.verticle().over();
    }

    /**
     * Asks a match played on this node without the event bus (see {@link MatchVerticle#ask}); null
     * when it is not here, or when matches are replicated (a replicated step's answer may wait on the
     * cluster, which only the bus's timeout bounds): the request then goes over the bus as before.
     */
    public Future<ServerFrame> ask(UUID matchId, MatchCommand command) {
        Running match = services.replication().enabled() ? null : running.get(matchId);
        return match == null ? null : match.verticle().ask(command);
    }

    /**
     * Hands every match running here to another node (a drain): each stops here first, then its
     * replicated state goes to the node {@code target} names, which carries it on.
     */
    public Future<Void> handOver(Supplier<String> target) {
        List<Future<Void>> handed = new ArrayList<>();
        for (Running match : List.copyOf(running.values())) {
            handed.add(match.verticle().release()
                .compose(adopt -> vertx.undeploy(match.deploymentId()).map(adopt))
                .compose(adopt -> {
                    String node = target.get();
                    LOG.atInfo().addKeyValue("match", adopt.matchId())
                        .log("Handing match {} to {}", adopt.matchId(), node);
                    return vertx.eventBus().request(Addresses.nodeMatches(node), adopt);
                })
                .<Void>mapEmpty()
                .onSuccess(v -> services.meters().matchHandedOver())
                .onFailure(e -> LOG.warn("A match could not be handed over ({}); failover will pick it up", e.getMessage())));
        }
        return Future.join(handed).mapEmpty();
    }

    /** Every match played here now, as an operator sees it (a finished one, lingering, is left out). */
    public Future<List<MatchView>> views() {
        List<Future<MatchView>> views = running.values().stream()
            .filter(match -> !match.verticle().over())
            .map(match -> match.verticle().view())
            .toList();
        // A match that stopped meanwhile is simply not listed.
        return Future.join(views).transform(done -> Future.succeededFuture(
            views.stream().filter(Future::succeeded).map(Future::result).toList()));
    }

    /** The match, if it is played here: MATCH_NOT_FOUND if not, MATCH_FINISHED if it is over. */
    public Future<MatchView> view(UUID matchId) {
        return playing(matchId).compose(MatchVerticle::view);
    }

    /** Ends the match played here before its last question ({@link MatchVerticle#end}). */
    public Future<MatchView> end(UUID matchId, String reason) {
        return playing(matchId).compose(verticle -> verticle.end(reason));
    }

    private Future<MatchVerticle> playing(UUID matchId) {
        Running match = running.get(matchId);
        if (match == null) {
            return Future.failedFuture(new QuizException(ErrorCode.MATCH_NOT_FOUND, "No such match on this node."));
        }
        if (match.verticle().over()) {
            return Future.failedFuture(new QuizException(ErrorCode.MATCH_FINISHED, "The match is over."));
        }
        return Future.succeededFuture(match.verticle());
    }

    /** Tells every match here that a node may have left, so its players' seats wait for them with grace. */
    public void membershipChanged() {
        running.values().forEach(match -> match.verticle().membershipChanged());
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(Addresses.nodeMatches(services.nodeId()), this::onSpec);
        return consumer.completion();
    }

    /** A new match ({@link MatchSpec}) or one to take over ({@link AdoptMatch}). */
    private void onSpec(Message<Object> message) {
        AdoptMatch adoption = message.body() instanceof AdoptMatch adopt ? adopt : null;
        UUID matchId = adoption != null ? adoption.matchId() : ((MatchSpec) message.body()).matchId();
        if (!hosted.add(matchId)) {
            // Already here (a second adoption after the first one's answer came too late): one copy only.
            message.reply(matchId.toString());
            return;
        }
        Runnable onStopped = () -> {
            liveMatches.decrementAndGet();
            running.remove(matchId);
            hosted.remove(matchId);
        };
        MatchVerticle verticle = adoption != null ? MatchVerticle.adopted(adoption, services, onStopped)
            : MatchVerticle.formed((MatchSpec) message.body(), services, onStopped);
        liveMatches.incrementAndGet();
        vertx.deployVerticle(verticle)
            .onSuccess(id -> {
                running.put(matchId, new Running(id, verticle));
                if (!hosted.contains(matchId)) {
                    running.remove(matchId); // it already stopped (an adoption with nothing left to run)
                }
                message.reply(matchId.toString());
            })
            .onFailure(e -> {
                liveMatches.decrementAndGet();
                hosted.remove(matchId);
                LOG.error("Match {} could not start", matchId, e);
                message.fail(ErrorCode.INTERNAL_ERROR.busCode(), "The match could not start.");
            });
    }
}
