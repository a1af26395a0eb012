package org.quizengine.engine.match;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.AdoptMatch;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live match, as an actor: it owns its {@link Match}, changes it only on its own context, takes
 * commands on the match's address (or, on a node that is not clustered, from its own node's gateway
 * through {@link #ask}), turns its one timer into {@link Match#onTimer} calls, and sends
 * what the rules return to the nodes the players are connected to (one message per node, not per
 * player). Its inbox is bounded by a commands-per-second budget.
 */
public final class MatchVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MatchVerticle.class);
    /** How long an adopter waits to learn whether the match already has a result before taking it over. */
    private static final long RESULT_CHECK_MILLIS = 1_000;

    private final UUID matchId;
    /** The match as formed by the matchmaker; null for one taken over (its record has it). */
    private final MatchSpec spec;
    private final AdoptMatch adoption;
    private final MatchServices services;
    private final Runnable onStopped;
    private final InboxBudget inbox;

    private Match match;
    private StepReplicator<PendingStep> replicator;
    private MessageConsumer<MatchCommand> consumer;
    /** Set when the verticle stops, just before its consumer goes: a command dropped from then on was not refused for load. */
    private boolean stopping;
    private long timerId = -1;
    private long timerAt = Long.MAX_VALUE;
    /** The time of the last timer step, and how late its timer fired: what a question it opened was late by. */
    private long lastTickAt;
    private long lastTickLate;
    /** No command, timer or membership change may change the match here any more (another node runs it). */
    private boolean fenced;
    /**
     * Commands that came before the match's first step went out (its consumer listens before its
     * players' claims are written): applied once it has, so no player hears of a step before the
     * match's start, and no timer runs before the countdown does. Null once the match runs.
     */
    private List<Message<MatchCommand>> early = new ArrayList<>();
    /** Set before its match_finished goes out: from then on the match holds no player (read by other threads). */
    private volatile boolean over;

    private MatchVerticle(UUID matchId, MatchSpec spec, AdoptMatch adoption, MatchServices services, Runnable onStopped) {
        this.matchId = matchId;
        this.spec = spec;
        this.adoption = adoption;
        this.services = services;
        this.onStopped = onStopped;
        this.inbox = new InboxBudget(matchId, services.options().maxCommandsPerSecond(), () -> match.seatCount(),
            services.clock());
    }

    /** A match the matchmaker just formed. */
    static MatchVerticle formed(MatchSpec spec, MatchServices services, Runnable onStopped) {
        return new MatchVerticle(spec.matchId(), spec, null, services, onStopped);
    }

    /** A match to take over from another node, from its replicated record. */
    static MatchVerticle adopted(AdoptMatch adoption, MatchServices services, Runnable onStopped) {
        return new MatchVerticle(adoption.matchId(), null, adoption, services, onStopped);
    }

    @Override
    public Future<?> start() {
        if (adoption != null) {
            return adopt();
        }
        match = Match.create(spec);
        replicator = new StepReplicator<>(services.replication(), match, this::effects, this::fence);
        Step first = match.start(now());
        List<UUID> players = spec.players().stream().map(PlayerInfo::userId).toList();
        return replicator.create(services.nodeId())
            .compose(v -> listen())
            .compose(v -> services.activePlayers().claim(players, matchId))
            .onSuccess(v -> {
                LOG.atInfo().addKeyValue("match", matchId)
                    .log("Match {} started on {}: {} players, {} questions", matchId, services.nodeId(), players.size(),
                        spec.settings().questionCount());
                effects(new PendingStep(first, null));
                running();
            })
            .onFailure(e -> {
                refuseEarly();
                forgetUnstarted();
            });
    }

    /**
     * A match that failed to start after writing its record (its consumer or its players' claims
     * failed) must not leave the record behind: it names a live node, so no failover would take it,
     * and players' requests would wait on it.
     */
    private void forgetUnstarted() {
        if (replicator.fence() != null) {
            services.replication().remove(matchId, replicator.fence())
                .onFailure(e -> LOG.atWarn().addKeyValue("match", matchId)
                    .log("Match {} could not start nor forget its record", matchId, e));
        }
    }

    /**
     * Carries on a match from its replicated record (its last snapshot and the inputs after it):
     * absolute deadlines make it resume where it was. The record must still be the one handed over.
     */
    private Future<?> adopt() {
        Replication.Fence handed = new Replication.Fence(adoption.owner(), adoption.epoch());
        return services.replication().read(matchId).compose(record -> {
            if (record == null || !record.fence().equals(handed)) {
                LOG.atInfo().addKeyValue("match", matchId)
                    .log("Match {} is no longer {}'s to hand over ({}); nothing to take over", matchId, handed.owner(),
                        record == null ? "it has no record" : "its record names " + record.fence());
                return stopAfterStart(Future.succeededFuture());
            }
            match = record.rebuild();
            replicator = new StepReplicator<>(services.replication(), match, this::effects, this::fence);
            if (match.phase() == Phase.FINISHED) {
                // It finished on the lost node; make sure its result is kept, then it is done.
                LOG.atInfo().addKeyValue("match", matchId)
                    .log("Match {} had finished on {}; keeping its result", matchId, handed.owner());
                return stopAfterStart(services.results().submit(match.result())
                    .compose(v -> services.replication().remove(matchId, handed)));
            }
            return services.results().hasResult(matchId)
                .timeout(RESULT_CHECK_MILLIS, TimeUnit.MILLISECONDS)
                .recover(e -> {
                    LOG.atWarn().addKeyValue("match", matchId)
                        .log("Match {}: could not tell whether it already has a result ({}); taking it over", matchId,
                            e.getMessage());
                    return Future.succeededFuture(false);
                })
                .compose(finished -> finished ? dropStaleRecord(handed) : takeOver(handed));
        });
    }

    /**
     * The match finished (its result is waiting or stored) and this record is an older copy that a
     * split's merge brought back: replaying it would send its players frames of a match that is over.
     */
    private Future<Void> dropStaleRecord(Replication.Fence handed) {
        LOG.atWarn().addKeyValue("match", matchId)
            .log("Match {} already has a result: its record from {} at question {} is a stale copy; dropping it",
                matchId, handed.owner(), match.questionIndex());
        return stopAfterStart(services.replication().remove(matchId, handed));
    }

    /** An adoption with nothing to run: it never takes a command, and goes once {@code work} is done. */
    private Future<Void> stopAfterStart(Future<Void> work) {
        fenced = true;
        return work.onComplete(v -> vertx.setTimer(1, id -> vertx.undeploy(deploymentID())));
    }

    private Future<Void> takeOver(Replication.Fence handed) {
        long handedVersion = match.version();
        Step away = match.markLostNodesAway(services.nodeAlive(), now());
        return replicator.takeOver(handed, handedVersion, services.nodeId())
            .compose(v -> listen())
            .onSuccess(v -> {
                LOG.atWarn().addKeyValue("match", matchId)
                    .log("Match {} taken over by {} from {} at question {}", matchId, services.nodeId(), handed.owner(),
                        match.questionIndex());
                services.meters().matchTakenOver(!services.nodeAlive().test(handed.owner()));
                // Every connected player resynchronises first (frames around the move may have been
                // lost), then hears who was lost with the old node.
                publish(match.statesForConnected(now()));
                effects(new PendingStep(away, null));
                running();
            })
            .onFailure(e -> refuseEarly());
    }

    /** The match's first step has gone out: the commands that came before it are applied, then its timer and nodes checked. */
    private void running() {
        List<Message<MatchCommand>> waiting = early;
        early = null;
        waiting.forEach(this::receive);
        schedule();
        checkLostNodes();
    }

    /**
     * The match could not start here: whoever sent a command meanwhile is not left waiting for it, and
     * a command that comes before its consumer is gone changes nothing.
     */
    private void refuseEarly() {
        fenced = true;
        if (early != null) {
            early.forEach(MatchVerticle::movedAway);
            early = null;
        }
    }

    /** Whether the match has ended (its players are free to play again), as far as this verticle knows. */
    public boolean over() {
        return over;
    }

    /**
     * Stops running the match here so another node can take it over (a drain): waits for the last
     * step to be replicated, stops the timer and answers no more. Returns what the adopter needs.
     */
    public Future<AdoptMatch> release() {
        Promise<AdoptMatch> released = Promise.promise();
        context.runOnContext(v -> {
            if (fenced || replicator == null || replicator.fence() == null) {
                // Not run here (an adoption with nothing to run, or another node runs it now): nothing to hand over.
                released.fail(new IllegalStateException("match " + matchId + " is not run here"));
                return;
            }
            replicator.replicated().onComplete(done -> {
                fenced = true;
                cancelTimer();
                released.complete(new AdoptMatch(matchId, replicator.fence().owner(), replicator.fence().epoch()));
            });
        });
        return released.future();
    }

    /**
     * A command from this node's gateway, handed over without the event bus: taken on the match's
     * context after the commands handed over before it, and answered as the consumer answers one
     * from the bus. Once the match has stopped here it is treated as the bus treats a request its
     * stopped consumer drops. A command the match throws on is refused as a request no match
     * answered (SERVICE_UNAVAILABLE, "try again", what the bus's timeout led to), never left
     * unanswered: this way has no timeout.
     */
    Future<ServerFrame> ask(MatchCommand command) {
        DirectRequest request = new DirectRequest(matchId, command);
        context.runOnContext(v -> {
            try {
                if (stopping) {
                    onDiscarded(request);
                    request.unanswered();
                } else {
                    onCommand(request);
                }
            } catch (Throwable e) {
                request.fail(ErrorCode.SERVICE_UNAVAILABLE.busCode(), "The match did not answer; try again.");
                throw e;
            }
        });
        return request.answer();
    }

    /** What an operator sees of the match now; fails if it is not run here (any more). */
    public Future<MatchView> view() {
        Promise<MatchView> viewed = Promise.promise();
        context.runOnContext(v -> {
            if (match == null || fenced) {
                viewed.fail(new QuizException(ErrorCode.MATCH_NOT_FOUND, "The match is not run on this node."));
            } else {
                viewed.complete(match.view(services.nodeId()));
            }
        });
        return viewed.future();
    }

    /**
     * An operator ends the match: its players are told why and its result is stored as ended. Completes
     * once the end is replicated (so it holds if this node dies now) with the match as it ended;
     * MATCH_FINISHED if it had already finished.
     */
    public Future<MatchView> end(String reason) {
        Promise<MatchView> ended = Promise.promise();
        context.runOnContext(v -> {
            if (match == null || fenced) {
                ended.fail(new QuizException(ErrorCode.MATCH_NOT_FOUND, "The match is not run on this node."));
                return;
            }
            if (match.phase() == Phase.FINISHED) {
                ended.fail(new QuizException(ErrorCode.MATCH_FINISHED, "The match is over."));
                return;
            }
            apply(new MatchInput.End(reason, now()), null);
            Future<Void> replicated = services.replication().enabled() && replicator != null ? replicator.replicated()
                : Future.succeededFuture();
            replicated.onComplete(done -> {
                if (done.failed() || fenced) {
                    // Another node runs the match now: the end did not hold here; the operator asks again.
                    ended.fail(new QuizException(ErrorCode.MATCH_NOT_FOUND, "The match moved to another node; try again."));
                } else {
                    ended.complete(match.view(services.nodeId()));
                }
            });
        });
        return ended.future();
    }

    /** Cluster membership changed: players whose node is gone are away (their sockets went with it). */
    public void membershipChanged() {
        context.runOnContext(v -> checkLostNodes());
    }

    /** Players whose node is no longer a member are away; also checked once the match runs, for a change during its start. */
    private void checkLostNodes() {
        if (early == null && !fenced && match.phase() != Phase.FINISHED) {
            Set<String> lost = match.lostNodes(services.nodeAlive());
            if (!lost.isEmpty()) {
                apply(new MatchInput.NodesLost(lost, now()), null);
            }
        }
    }

    private Future<Void> listen() {
        consumer = vertx.eventBus().consumer(Addresses.match(matchId), this::onCommand);
        if (consumer instanceof MessageConsumerImpl<MatchCommand> impl) {
            impl.discardHandler(this::onDiscarded);
        }
        return consumer.completion();
    }

    /**
     * A command the event bus dropped instead of handing it over: it reached the consumer as it was
     * unregistered (the linger's end, a drain, a stop), or over its buffer. Vert.x answers such a
     * request with a bare TIMEOUT just after this, which the gateway cannot tell from a lost node, so
     * it is answered here first, as the match would have answered it. Runs on the match's context
     * (the consumer's queue belongs to it), so the reply must be made before returning. A single
     * node stopping while the match runs leaves the request to that TIMEOUT, as before.
     */
    private void onDiscarded(Message<MatchCommand> message) {
        if (match.phase() != Phase.FINISHED) {
            if (!stopping && !fenced) {
                message.fail(ErrorCode.MATCH_OVERLOADED.busCode(), "The match is receiving more than it can handle.");
            } else if (services.replication().enabled()) {
                movedAway(message); // a drain, a shutdown or a takeover: another node carries it on
            }
            return;
        }
        if (fenced || (replicator != null && !replicator.caughtUp())) {
            // Its end not yet replicated (or no longer run here): the gateway asks the node its record names.
            movedAway(message);
            return;
        }
        // Over: its rules answer without changing it (the final ranking to an attach, MATCH_FINISHED otherwise).
        Step step = inputOf(message.body(), now()).applyTo(match);
        if (step.isRejected()) {
            message.fail(step.rejection().busCode(), step.rejectionReason());
        } else {
            message.reply(step.reply() == null ? null : ServerFrame.of(step.reply()));
        }
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        cancelTimer();
        onStopped.run();
        return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }

    /** Receive: a command of one of its players, within their share of the inbox, to a match still run here. */
    private void onCommand(Message<MatchCommand> message) {
        if (!match.plays(message.body().userId())) {
            // Before the budget: someone outside the match must not spend its players' commands.
            message.fail(ErrorCode.NOT_IN_MATCH.busCode(), "You are not playing in this match.");
            return;
        }
        // A detach is the server's own news of a closed socket, one per connection: never refused.
        if (!(message.body() instanceof MatchCommand.Detach) && !inbox.admit(message.body().userId())) {
            message.fail(ErrorCode.MATCH_OVERLOADED.busCode(), "The match is receiving more than it can handle.");
            return;
        }
        if (early != null) {
            early.add(message);
            return;
        }
        receive(message);
    }

    /** A command of a player, within their share of the inbox: applied, unless another node runs the match now. */
    private void receive(Message<MatchCommand> message) {
        if (fenced) {
            movedAway(message);
            return;
        }
        apply(inputOf(message.body(), now()), message);
    }

    private static MatchInput inputOf(MatchCommand command, long now) {
        if (command instanceof MatchCommand.SubmitAnswer answer) {
            return new MatchInput.Answer(answer.userId(), answer.index(), answer.option(), answer.resent(), now);
        }
        if (command instanceof MatchCommand.Attach attach) {
            return new MatchInput.Attach(attach.userId(), attach.nodeId(), attach.connectionId(), now);
        }
        if (command instanceof MatchCommand.Detach detach) {
            return new MatchInput.Detach(detach.userId(), detach.connectionId(), now);
        }
        if (command instanceof MatchCommand.Leave leave) {
            return new MatchInput.Leave(leave.userId(), now);
        }
        throw new IllegalArgumentException("Unknown match command " + command);
    }

    /**
     * Rules, then replicate, then effects: the input changes the match; a step that changed it is
     * replicated before anyone hears of it (an acknowledged answer or a revealed question is never
     * lost with this node), and a step that only answers waits for the steps before it. The timer is
     * re-armed at once.
     */
    private void apply(MatchInput input, Message<MatchCommand> request) {
        Step step = input.applyTo(match);
        schedule();
        if (step.isRejected()) {
            if (request != null) {
                request.fail(step.rejection().busCode(), step.rejectionReason());
            }
            return;
        }
        PendingStep pending = new PendingStep(step, request);
        if (!services.replication().enabled()) {
            effects(pending); // a single node keeps no copy
        } else if (step.changed()) {
            replicator.replicate(input, pending);
        } else {
            // Read from steps that may not be replicated yet: answered once they are, as their effects are.
            replicator.replicated().onComplete(v -> {
                if (fenced) {
                    movedAway(request);
                } else {
                    effects(pending);
                }
            });
        }
    }

    private record PendingStep(Step step, Message<MatchCommand> request) {
    }

    /** Effects: the reply, then what the players hear, then the end of the match if it ended. */
    private void effects(PendingStep pending) {
        Step step = pending.step();
        if (step.finished() != null) {
            over = true; // before the players hear of the end, so that one queuing at once is not held here
        }
        if (pending.request() != null) {
            // Reply first: a player's acknowledgement must not wait behind the broadcasts it triggers.
            // As the frame the player gets: the gateway, maybe on another node, sends it as it is.
            pending.request().reply(step.reply() == null ? null : ServerFrame.of(step.reply()));
        }
        publish(step.events());
        releaseLeavers(step.events());
        if (step.finished() != null) {
            onFinished(step.finished());
        }
    }

    /** A player who left for good (or whose grace ran out) may play elsewhere: their claim on this match goes. */
    private void releaseLeavers(List<Outgoing> events) {
        List<UUID> left = new ArrayList<>();
        for (Outgoing outgoing : events) {
            if (outgoing.event() instanceof ServerEvent.PlayerStatus status && "left".equals(status.status())) {
                left.add(status.userId());
            }
        }
        if (!left.isEmpty()) {
            services.activePlayers().release(left, matchId)
                .onFailure(e -> LOG.atWarn().addKeyValue("match", matchId)
                    .log("Match {}: could not clear the live-match entries of who left", matchId, e));
        }
    }

    /** Another node runs this match now (this one was taken for dead): stop without a word to players. */
    private void fence(Throwable cause, PendingStep refused) {
        movedAway(refused.request());
        if (!fenced) {
            fenced = true;
            LOG.atError().addKeyValue("match", matchId).log("Match {}: stopping here, {}", matchId, cause.getMessage());
            cancelTimer();
            vertx.undeploy(deploymentID());
        }
    }

    private static void movedAway(Message<MatchCommand> request) {
        if (request != null) {
            request.fail(ErrorCode.MATCH_NOT_FOUND.busCode(), "The match has moved to another node.");
        }
    }

    /**
     * Sends each node the step's frames for the players on it, in order. To this node, every delivery
     * but the last says more follow, so that its gateway flushes a socket once for the step (a reveal
     * and the next question in one packet) rather than once per frame: queued here one after the
     * other, they reach the gateway back to back. Another node's may not (they cross the network
     * separately), and a hold waiting for them would delay the frames: they never say so.
     */
    private void publish(List<Outgoing> events) {
        List<Addressed> deliveries = new ArrayList<>(2);
        for (Outgoing outgoing : events) {
            Map<String, List<UUID>> byNode = new HashMap<>(4);
            for (UUID recipient : outgoing.recipients()) {
                String node = match.nodeOf(recipient);
                if (node != null) {
                    byNode.computeIfAbsent(node, n -> new ArrayList<>(outgoing.recipients().size())).add(recipient);
                }
            }
            if (byNode.isEmpty()) {
                continue;
            }
            ServerFrame frame = ServerFrame.of(outgoing.event()); // once, for every node and socket
            if (outgoing.event() instanceof ServerEvent.Question question && question.serverTime() == question.openedAt()) {
                // Just opened (a resent question carries a later serverTime): late by the wait for its
                // replication, and by its timer's lateness if the timer opened it (not an early close).
                long late = now() - question.openedAt() + (question.openedAt() == lastTickAt ? lastTickLate : 0);
                services.meters().questionSent(Math.max(0, late));
            }
            byNode.forEach((node, recipients) -> deliveries.add(new Addressed(node, recipients, frame)));
        }
        String here = services.nodeId();
        int lastHere = -1;
        for (int i = 0; i < deliveries.size(); i++) {
            if (deliveries.get(i).node().equals(here)) {
                lastHere = i;
            }
        }
        for (int i = 0; i < deliveries.size(); i++) {
            Addressed delivery = deliveries.get(i);
            boolean moreFollow = i < lastHere && delivery.node().equals(here);
            vertx.eventBus().send(Addresses.nodeDeliveries(delivery.node()),
                new Delivery(delivery.recipients(), delivery.frame(), moreFollow));
        }
    }

    private record Addressed(String node, List<UUID> recipients, ServerFrame frame) {
    }

    private void schedule() {
        long wake = match.nextWakeAt();
        if (wake == timerAt) {
            return;
        }
        cancelTimer();
        if (wake == Long.MAX_VALUE) {
            return;
        }
        timerAt = wake;
        timerId = vertx.setTimer(Math.max(1, wake - now()), id -> {
            timerId = -1;
            timerAt = Long.MAX_VALUE;
            long now = now();
            lastTickAt = now;
            lastTickLate = now - wake;
            apply(new MatchInput.Tick(now), null);
        });
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        timerId = -1;
        timerAt = Long.MAX_VALUE;
    }

    private long now() {
        return services.clock().getAsLong();
    }

    private void onFinished(MatchResult result) {
        LOG.atInfo().addKeyValue("match", result.matchId())
            .log("Match {} finished after {} questions", result.matchId(), result.questions().size());
        services.meters().matchFinished();
        services.results().submit(result)
            .compose(v -> replicator.remove())
            .onFailure(e -> LOG.atError().addKeyValue("match", result.matchId())
                .log("Match {}: result could not be handed over for storage", result.matchId(), e));
        services.activePlayers().release(match.playerIds(), matchId)
            .onFailure(e -> LOG.atWarn().addKeyValue("match", matchId)
                .log("Match {}: could not clear its players' live-match entries", matchId, e));
        // Linger so that late commands are told MATCH_FINISHED rather than finding no match at all.
        vertx.setTimer(Math.max(1, services.options().lingerMillis()), id -> vertx.undeploy(deploymentID()));
    }
}
