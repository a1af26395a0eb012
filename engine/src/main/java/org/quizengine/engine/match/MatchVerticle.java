package org.quizengine.engine.match;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.quizengine.engine.config.MatchOptions;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.AdoptMatch;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live match, as an actor: it owns its {@link Match}, changes it only on its own context, takes
 * commands on the match's address, turns its one timer into {@link Match#onTimer} calls, and sends
 * what the rules return to the nodes the players are connected to (one message per node, not per
 * player). Its inbox is bounded by a commands-per-second budget.
 */
public final class MatchVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MatchVerticle.class);
    /** How long an adopter waits to learn whether the match already has a result before taking it over. */
    private static final long RESULT_CHECK_MILLIS = 1_000;

    private final MatchSpec spec;
    private final AdoptMatch adoption;
    private final String nodeId;
    private final Replication replication;
    private final Predicate<String> nodeAlive;
    private final MatchOptions options;
    private final ResultSink results;
    private final ActivePlayers activePlayers;
    private final LongSupplier clock;
    private final Runnable onStopped;

    private Match match;
    private MessageConsumer<MatchCommand> consumer;
    private long timerId = -1;
    private long timerAt = Long.MAX_VALUE;
    private final InboxBudget inbox;
    /** The record this node last replicated (what an adopter is handed on a drain). */
    private String replicated;
    /** This node's owner and epoch: a write counts only while the stored record still has them. */
    private Replication.Fence writeFence;
    /** Steps applied here whose replication has not started: the next write covers them all. */
    private final List<PendingStep> unreplicated = new ArrayList<>();
    /** Whether a replication write is in flight (at most one at a time). */
    private boolean writing;
    /** Who waits until every step so far is replicated (a drain, a finished match). */
    private final List<Promise<Void>> awaitingReplicated = new ArrayList<>();
    private boolean fenced;
    /** Set before its match_finished goes out: from then on the match holds no player (read by other threads). */
    private volatile boolean over;

    /** A match the matchmaker just formed, or (with {@code adoption}) one taken over from another node. */
    public MatchVerticle(MatchSpec spec, AdoptMatch adoption, String nodeId, Replication replication,
                         Predicate<String> nodeAlive, MatchOptions options, ResultSink results,
                         ActivePlayers activePlayers, LongSupplier clock, Runnable onStopped) {
        this.spec = spec;
        this.adoption = adoption;
        this.nodeId = nodeId;
        this.replication = replication;
        this.nodeAlive = nodeAlive;
        this.options = options;
        this.results = results;
        this.activePlayers = activePlayers;
        this.clock = clock;
        this.onStopped = onStopped;
        this.inbox = new InboxBudget(spec.matchId(), options.maxCommandsPerSecond(), clock);
    }

    @Override
    public Future<?> start() {
        List<UUID> players = spec.players().stream().map(PlayerInfo::userId).toList();
        if (adoption != null) {
            return adopt();
        }
        match = Match.create(spec);
        Step first = match.start(clock.getAsLong());
        return replication.create(nodeId, match.snapshot())
            .onSuccess(record -> {
                replicated = record;
                writeFence = Replication.Fence.first(nodeId);
            })
            .compose(v -> listen())
            .compose(v -> activePlayers.claim(players, spec.matchId()))
            .onSuccess(v -> {
                LOG.info("Match {} started on {}: {} players, {} questions", spec.matchId(), nodeId, players.size(),
                    spec.settings().questionCount());
                effects(first, null);
                schedule();
            })
            .onFailure(e -> forgetUnstarted());
    }

    /**
     * A match that failed to start after writing its record (its consumer or its players' claims
     * failed) must not leave the record behind: it names a live node, so no failover would take it,
     * and players' requests would wait on it.
     */
    private void forgetUnstarted() {
        if (writeFence != null) {
            replication.remove(spec.matchId(), writeFence)
                .onFailure(e -> LOG.warn("Match {} could not start nor forget its record", spec.matchId(), e));
        }
    }

    /** Carries on a match from its replicated record: absolute deadlines make it resume where it was. */
    private Future<?> adopt() {
        Replication.Replicated record = Replication.decode(adoption.replicated());
        match = Match.restore(record.snapshot());
        if (match.phase() == Phase.FINISHED) {
            // It finished on the lost node; make sure its result is kept, then it is done.
            LOG.info("Match {} had finished on {}; keeping its result", spec.matchId(), record.owner());
            fenced = true; // it only keeps the result: no command, timer or membership change may write
            return results.submit(match.result())
                .compose(v -> replication.remove(spec.matchId(), record.fence()))
                .onSuccess(v -> vertx.setTimer(1, id -> vertx.undeploy(deploymentID())));
        }
        return results.hasResult(spec.matchId())
            .timeout(RESULT_CHECK_MILLIS, TimeUnit.MILLISECONDS)
            .recover(e -> {
                LOG.warn("Match {}: could not tell whether it already has a result ({}); taking it over", spec.matchId(),
                    e.getMessage());
                return Future.succeededFuture(false);
            })
            .compose(finished -> finished ? dropStaleRecord(record) : takeOver(record))
            .mapEmpty();
    }

    /**
     * The match finished (its result is waiting or stored) and this record is an older copy that a
     * split's merge brought back: replaying it would send its players frames of a match that is over.
     */
    private Future<Void> dropStaleRecord(Replication.Replicated record) {
        LOG.warn("Match {} already has a result: its record from {} at question {} is a stale copy; dropping it",
            spec.matchId(), record.owner(), match.questionIndex());
        fenced = true; // it never runs: no command, timer or membership change may write
        return replication.remove(spec.matchId(), record.fence())
            .onComplete(v -> vertx.setTimer(1, id -> vertx.undeploy(deploymentID())));
    }

    private Future<Void> takeOver(Replication.Replicated record) {
        Step step = match.markLostNodesAway(nodeAlive, clock.getAsLong());
        return replication.takeOver(record.fence(), nodeId, match.snapshot())
            .onSuccess(written -> {
                replicated = written;
                writeFence = record.fence().next(nodeId);
            })
            .compose(v -> listen())
            .onSuccess(v -> {
                LOG.warn("Match {} taken over by {} from {} at question {}", spec.matchId(), nodeId, record.owner(),
                    match.questionIndex());
                effects(step, null);
                // Every connected player resynchronises: frames around the move may have been lost.
                publish(match.statesForConnected(clock.getAsLong()));
                schedule();
            })
            .mapEmpty();
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
        context.runOnContext(v -> replicated().onComplete(done -> {
            fenced = true;
            cancelTimer();
            released.complete(new AdoptMatch(spec.matchId(), replicated));
        }));
        return released.future();
    }

    /** Cluster membership changed: players whose node is gone are away (their sockets went with it). */
    public void membershipChanged() {
        context.runOnContext(v -> {
            if (match != null && !fenced && match.phase() != Phase.FINISHED) {
                apply(match.markLostNodesAway(nodeAlive, clock.getAsLong()), null);
            }
        });
    }

    private Future<Void> listen() {
        consumer = vertx.eventBus().consumer(Addresses.match(spec.matchId()), this::onCommand);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        cancelTimer();
        onStopped.run();
        return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }

    private void onCommand(Message<MatchCommand> message) {
        if (!inbox.admit()) {
            message.fail(ErrorCode.MATCH_OVERLOADED.busCode(), "The match is receiving more than it can handle.");
            return;
        }
        if (fenced) {
            message.fail(ErrorCode.MATCH_NOT_FOUND.busCode(), "The match has moved to another node.");
            return;
        }
        Step step = handle(message.body(), clock.getAsLong());
        if (step.isRejected()) {
            message.fail(step.rejection().busCode(), step.rejectionReason());
            return;
        }
        if (!step.changed()) {
            // Read from steps that may not be replicated yet: answered once they are, as their effects are.
            replicated().onComplete(v -> {
                if (fenced) {
                    message.fail(ErrorCode.MATCH_NOT_FOUND.busCode(), "The match has moved to another node.");
                } else {
                    message.reply(step.reply());
                }
            });
            return;
        }
        apply(step, message);
    }

    private Step handle(MatchCommand command, long now) {
        if (command instanceof MatchCommand.SubmitAnswer answer) {
            return answer.resent()
                ? match.answerAgain(answer.userId(), answer.index(), answer.option(), now)
                : match.answer(answer.userId(), answer.index(), answer.option(), now);
        }
        if (command instanceof MatchCommand.Attach attach) {
            return match.attach(attach.userId(), attach.nodeId(), attach.connectionId(), now);
        }
        if (command instanceof MatchCommand.Detach detach) {
            return match.detach(detach.userId(), detach.connectionId(), now);
        }
        if (command instanceof MatchCommand.Leave leave) {
            return match.leave(leave.userId(), now);
        }
        throw new IllegalArgumentException("Unknown match command " + command);
    }

    /**
     * Replicates the step, then tells players about it: an acknowledged answer or a revealed question
     * is never lost with this node. One write is in flight at a time; steps that arrive meanwhile
     * are covered together by the next write (of the snapshot after the last of them), and their
     * effects follow it in step order. So when writes are slow, fewer of them are made, instead of
     * a queue of whole snapshots each waiting for the one before. The timer is re-armed at once.
     */
    private void apply(Step step, Message<MatchCommand> request) {
        schedule();
        if (!replication.enabled()) {
            effects(step, request); // a single node keeps no copy: no snapshot on the answer path
            return;
        }
        unreplicated.add(new PendingStep(step, request));
        if (!writing) {
            replicateUnreplicated();
        }
    }

    private void replicateUnreplicated() {
        List<PendingStep> batch = List.copyOf(unreplicated);
        unreplicated.clear();
        writing = true;
        replication.update(writeFence, match.snapshot()).onComplete(written -> {
            writing = false;
            if (written.succeeded()) {
                replicated = written.result();
                batch.forEach(pending -> effects(pending.step(), pending.request()));
            } else {
                batch.forEach(pending -> fence(written.cause(), pending.request()));
            }
            if (fenced) {
                unreplicated.forEach(pending -> fence(written.cause(), pending.request()));
                unreplicated.clear();
            }
            if (!unreplicated.isEmpty()) {
                replicateUnreplicated();
            } else {
                List<Promise<Void>> waiting = List.copyOf(awaitingReplicated);
                awaitingReplicated.clear();
                waiting.forEach(Promise::complete);
            }
        });
    }

    /** Completes once every step applied so far has been replicated (or the match was fenced). */
    private Future<Void> replicated() {
        if (!writing && unreplicated.isEmpty()) {
            return Future.succeededFuture();
        }
        Promise<Void> promise = Promise.promise();
        awaitingReplicated.add(promise);
        return promise.future();
    }

    private record PendingStep(Step step, Message<MatchCommand> request) {
    }

    private void effects(Step step, Message<MatchCommand> request) {
        if (step.finished() != null) {
            over = true; // before the players hear of the end, so that one queuing at once is not held here
        }
        if (request != null) {
            // Reply first: a player's acknowledgement must not wait behind the broadcasts it triggers.
            request.reply(step.reply());
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
            activePlayers.release(left, spec.matchId())
                .onFailure(e -> LOG.warn("Match {}: could not clear the live-match entries of who left", spec.matchId(), e));
        }
    }

    /** Another node runs this match now (this one was taken for dead): stop without a word to players. */
    private void fence(Throwable cause, Message<MatchCommand> request) {
        if (request != null) {
            request.fail(ErrorCode.MATCH_NOT_FOUND.busCode(), "The match has moved to another node.");
        }
        if (!fenced) {
            fenced = true;
            LOG.error("Match {}: stopping here, {}", spec.matchId(), cause.getMessage());
            cancelTimer();
            vertx.undeploy(deploymentID());
        }
    }

    private void publish(List<Outgoing> events) {
        for (Outgoing outgoing : events) {
            Map<String, List<UUID>> byNode = new HashMap<>(4);
            for (UUID recipient : outgoing.recipients()) {
                String node = match.nodeOf(recipient);
                if (node != null) {
                    byNode.computeIfAbsent(node, n -> new ArrayList<>(outgoing.recipients().size())).add(recipient);
                }
            }
            byNode.forEach((node, recipients) ->
                vertx.eventBus().send(Addresses.nodeDeliveries(node), new Delivery(recipients, outgoing.event())));
        }
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
        timerId = vertx.setTimer(Math.max(1, wake - clock.getAsLong()), id -> {
            timerId = -1;
            timerAt = Long.MAX_VALUE;
            apply(match.onTimer(clock.getAsLong()), null);
        });
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        timerId = -1;
        timerAt = Long.MAX_VALUE;
    }

    private void onFinished(MatchResult result) {
        LOG.info("Match {} finished after {} questions", result.matchId(), result.questions().size());
        List<UUID> players = spec.players().stream().map(PlayerInfo::userId).toList();
        results.submit(result)
            .compose(v -> replicated().compose(w -> fenced
                ? Future.failedFuture("another node runs it now") : replication.remove(spec.matchId(), writeFence)))
            .onFailure(e -> LOG.error("Match {}: result could not be handed over for storage", result.matchId(), e));
        activePlayers.release(players, spec.matchId())
            .onFailure(e -> LOG.warn("Match {}: could not clear its players' live-match entries", spec.matchId(), e));
        // Linger so that late commands are told MATCH_FINISHED rather than finding no match at all.
        vertx.setTimer(Math.max(1, options.lingerMillis()), id -> vertx.undeploy(deploymentID()));
    }
}
