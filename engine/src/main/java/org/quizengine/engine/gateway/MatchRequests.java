package org.quizengine.engine.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.quizengine.engine.cluster.ClusterView;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.protocol.ServerFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's requests to live matches, carried across a change of the match's owner. The event
 * bus gives no sign when a request went to a node that has just died (the write fails silently and
 * the request waits out its timeout), and finds no handler between the death and the takeover. So a
 * request whose owner may have changed (no handler, no answer, the old owner fenced, or its owner
 * left the cluster while the request was in flight) waits, for a bounded time, until the match's
 * replicated record names a live owner, and is sent again there. It fails as before only when the
 * match has no record any more (it is over), or when no live owner shows up in time.
 *
 * <p>An answer sent again is marked {@link MatchCommand.SubmitAnswer#again() resent}: the lost owner
 * may have recorded and replicated it without its reply reaching the player, and the new owner then
 * acknowledges it again instead of refusing it as {@code ALREADY_ANSWERED}. Attach and detach are
 * idempotent as they are.
 */
final class MatchRequests {
    private static final Logger LOG = LoggerFactory.getLogger(MatchRequests.class);
    static final long REQUEST_TIMEOUT_MILLIS = 5_000;
    /**
     * The first wait for an answer while membership is unsettled: for a few seconds after a member
     * leaves, the event bus can still route a request to the dead node's registration, where it is
     * silently lost. A live match answers in milliseconds, so such a request is sent again after this
     * (then twice as long each time, up to {@link #REQUEST_TIMEOUT_MILLIS}).
     */
    static final long UNSETTLED_TIMEOUT_MILLIS = 500;
    /** How long after a membership change requests use the short timeout. */
    static final long UNSETTLED_MILLIS = 5_000;
    /**
     * How long a request waits for its match to get a live owner again, from its first failure: a
     * killed node is seen gone within about a second, a frozen one after max-no-heartbeat (5 s by
     * default), and the takeover itself takes well under a second.
     */
    static final long OWNER_WAIT_MILLIS = 10_000;
    /** How often the match's record is read while waiting (one read per match, however many requests wait). */
    static final long OWNER_POLL_MILLIS = 100;

    private final Vertx vertx;
    private final ClusterView cluster;
    private final MatchesHere here;
    /** The node a match's replicated record names as its owner, or null when it has no record. */
    private final Function<UUID, Future<String>> recordOwner;
    /** Requests sent and not yet answered, by match, so that a departed owner's can be given up at once. */
    private final Map<UUID, Set<Promise<ServerFrame>>> inFlight = new ConcurrentHashMap<>();
    /** The wait for a live owner of each match, shared by all the requests to that match that wait. */
    private final Map<UUID, Future<String>> ownerWaits = new ConcurrentHashMap<>();
    /** Until when ({@link System#nanoTime()}) membership counts as unsettled; 0 before any change. */
    private volatile long unsettledUntil;

    MatchRequests(Vertx vertx, ClusterView cluster, MatchesHere here, Function<UUID, Future<String>> recordOwner) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.here = here;
        this.recordOwner = recordOwner;
    }

    /** Starts watching membership, so requests in flight to a departed owner are sent again at once. */
    void start(Context context) {
        cluster.onMembershipChange(context, this::membersChanged);
    }

    /**
     * Asks the match (directly when it is played here and {@link MatchesHere} knows it); the reply, or
     * the failure of the last attempt, on the caller's context: a retry may be completed from the
     * membership watch or another request's wait, a direct answer on the match's context, and a
     * socket's frames must keep being written by its own event loop, in order.
     */
    Future<ServerFrame> ask(UUID matchId, MatchCommand command) {
        Context caller = vertx.getOrCreateContext();
        Promise<ServerFrame> answered = Promise.promise();
        Future<ServerFrame> direct = here.ask(matchId, command);
        (direct != null ? direct : attempt(matchId, command, Retry.NONE)).onComplete(done -> {
            if (Vertx.currentContext() == caller) {
                answered.handle(done);
            } else {
                caller.runOnContext(v -> answered.handle(done));
            }
        });
        return answered.future();
    }

    /** One attempt; on a failure that may mean a new owner, the next one once the match has a live owner. */
    private Future<ServerFrame> attempt(UUID matchId, MatchCommand command, Retry retry) {
        return send(matchId, command, timeoutFor(retry)).recover(failure -> {
            if (retry != Retry.NONE && isRefusalOfAnEarlierCopy(command, failure)) {
                return Future.succeededFuture(null); // an earlier copy of this leave was taken after all
            }
            if (!cluster.clustered() || !ownerMayHaveChanged(failure)) {
                return Future.failedFuture(failure);
            }
            Retry next = retry.after(failure);
            if (next.exhausted(unsettled())) {
                return Future.failedFuture(gaveUp(matchId, failure));
            }
            return liveOwner(matchId, next.giveUpAt()).compose(owner -> owner == null
                ? Future.failedFuture(matchOver(matchId, failure))
                : attempt(matchId, again(command), next));
        });
    }

    private long timeoutFor(Retry retry) {
        return unsettled() ? Math.min(REQUEST_TIMEOUT_MILLIS, UNSETTLED_TIMEOUT_MILLIS << Math.min(retry.timeouts(), 4))
            : REQUEST_TIMEOUT_MILLIS;
    }

    private boolean unsettled() {
        long until = unsettledUntil;
        return until != 0 && until - System.nanoTime() > 0;
    }

    /** The match has no record any more: it is over, and the request finds no match, as it would have. */
    private static Throwable matchOver(UUID matchId, Throwable failure) {
        return failure instanceof OwnerLeft
            ? new ReplyException(ReplyFailure.NO_HANDLERS, "match " + matchId + " is over")
            : failure;
    }

    /**
     * Giving up while the match may still be live is "no answer in time", never "no such match": a
     * player must not be told {@code no_match} while their match's record exists.
     */
    private static Throwable gaveUp(UUID matchId, Throwable failure) {
        return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
            ? failure
            : new ReplyException(ReplyFailure.TIMEOUT, "match " + matchId + " found no live owner in time");
    }

    /** A leave sent again finds its player gone: the copy whose answer was lost had been taken. */
    private static boolean isRefusalOfAnEarlierCopy(MatchCommand command, Throwable failure) {
        return command instanceof MatchCommand.Leave && failure instanceof ReplyException reply
            && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
            && ErrorCode.fromBusCode(reply.failureCode()) == ErrorCode.NOT_IN_MATCH;
    }

    /**
     * The bound on resending: until {@link #OWNER_WAIT_MILLIS} after the first failure. Outside an
     * unsettled membership, a request that got no answer at all is sent again only once (a live but
     * slow owner is not asked a third time).
     */
    private record Retry(long giveUpAt, int timeouts) {
        static final Retry NONE = new Retry(0, 0);

        Retry after(Throwable failure) {
            long deadline = this == NONE ? System.nanoTime() + OWNER_WAIT_MILLIS * 1_000_000 : giveUpAt;
            boolean timedOut = failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
            return new Retry(deadline, timeouts + (timedOut ? 1 : 0));
        }

        boolean exhausted(boolean unsettled) {
            return System.nanoTime() - giveUpAt > 0 || (!unsettled && timeouts > 1);
        }
    }

    private Future<ServerFrame> send(UUID matchId, MatchCommand command, long timeoutMillis) {
        Promise<ServerFrame> reply = Promise.promise();
        inFlight.compute(matchId, (id, pending) -> {
            Set<Promise<ServerFrame>> set = pending != null ? pending : ConcurrentHashMap.newKeySet();
            set.add(reply);
            return set;
        });
        vertx.eventBus().<ServerFrame>request(Addresses.match(matchId), command,
            new DeliveryOptions().setSendTimeout(timeoutMillis)).onComplete(done -> {
            if (done.succeeded()) {
                reply.tryComplete(done.result().body());
            } else {
                reply.tryFail(done.cause());
            }
        });
        return reply.future().onComplete(done -> inFlight.computeIfPresent(matchId, (id, pending) -> {
            pending.remove(reply);
            return pending.isEmpty() ? null : pending;
        }));
    }

    private static MatchCommand again(MatchCommand command) {
        return command instanceof MatchCommand.SubmitAnswer answer ? answer.again() : command;
    }

    /**
     * No handler (between a death and the takeover), no answer (sent to a node that had just died),
     * the old owner fenced ({@code MATCH_NOT_FOUND}: it lost the match to another node), or the owner
     * left while the request was in flight.
     */
    private static boolean ownerMayHaveChanged(Throwable failure) {
        if (failure instanceof OwnerLeft) {
            return true;
        }
        if (!(failure instanceof ReplyException reply)) {
            return false;
        }
        return switch (reply.failureType()) {
            case NO_HANDLERS, TIMEOUT -> true;
            case RECIPIENT_FAILURE -> ErrorCode.fromBusCode(reply.failureCode()) == ErrorCode.MATCH_NOT_FOUND;
            case ERROR -> false;
        };
    }

    /**
     * A member left: every match with requests in flight whose record names an owner that is no
     * longer a member has lost them with that node; they are given up now and sent again once the
     * match is taken over, instead of waiting out their timeout.
     */
    private void membersChanged() {
        unsettledUntil = System.nanoTime() + UNSETTLED_MILLIS * 1_000_000;
        for (UUID matchId : Set.copyOf(inFlight.keySet())) {
            recordOwner.apply(matchId).onSuccess(owner -> {
                if (owner != null && !cluster.nodeIds().contains(owner)) {
                    giveUp(matchId, owner);
                }
            });
        }
    }

    private void giveUp(UUID matchId, String lostOwner) {
        Set<Promise<ServerFrame>> pending = inFlight.get(matchId);
        if (pending == null) {
            return;
        }
        LOG.atInfo().addKeyValue("match", matchId)
            .log("Match {} lost its node {}: resending {} request(s) once it is taken over", matchId, lostOwner,
                pending.size());
        for (Promise<ServerFrame> reply : Set.copyOf(pending)) {
            reply.tryFail(new OwnerLeft(matchId, lostOwner));
        }
    }

    /**
     * Completes with the owner once the match's record names a member, with {@code null} once it has
     * no record, or fails (a timeout, as a request that got no answer) when neither happens by
     * {@code deadline}. The first look is after one poll interval, so a match that has a live owner
     * but no handler yet (its consumer is being registered) is not asked again at once.
     */
    private Future<String> liveOwner(UUID matchId, long deadline) {
        Promise<String> created = Promise.promise();
        Future<String> waiting = ownerWaits.putIfAbsent(matchId, created.future());
        if (waiting != null) {
            return waiting;
        }
        created.future().onComplete(done -> ownerWaits.remove(matchId, created.future()));
        poll(matchId, deadline, created);
        return created.future();
    }

    private void poll(UUID matchId, long deadline, Promise<String> found) {
        vertx.setTimer(OWNER_POLL_MILLIS, id -> recordOwner.apply(matchId).onComplete(owner -> {
            if (owner.succeeded() && (owner.result() == null || cluster.nodeIds().contains(owner.result()))) {
                found.complete(owner.result());
            } else if (System.nanoTime() - deadline > 0) {
                found.fail(new ReplyException(ReplyFailure.TIMEOUT, "match " + matchId + " found no live owner in time"));
            } else {
                poll(matchId, deadline, found);
            }
        }));
    }

    /** A request given up because the match's owner left the cluster while it was in flight. */
    static final class OwnerLeft extends RuntimeException {
        OwnerLeft(UUID matchId, String owner) {
            super("match " + matchId + " lost its node " + owner, null, false, false);
        }
    }
}
