package org.quizengine.engine.match;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.UUID;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.protocol.ServerFrame;

/**
 * A command handed to a match on this node without the event bus ({@link MatchVerticle#ask}), shaped
 * as the request the match's consumer takes, so the match answers it exactly as it answers one from
 * the bus: a reply completes {@link #answer()}, a refusal fails it with the same
 * {@link ReplyException} (a {@code RECIPIENT_FAILURE} carrying the error's code) the requester would get.
 */
final class DirectRequest implements Message<MatchCommand> {
    private final UUID matchId;
    private final MatchCommand command;
    private final Promise<ServerFrame> answer = Promise.promise();

    DirectRequest(UUID matchId, MatchCommand command) {
        this.matchId = matchId;
        this.command = command;
    }

    Future<ServerFrame> answer() {
        return answer.future();
    }

    /** As the event bus answers a request its consumer dropped without a word: a bare timeout. */
    void unanswered() {
        answer.tryFail(new ReplyException(ReplyFailure.TIMEOUT, "The match did not answer."));
    }

    @Override
    public String address() {
        return Addresses.match(matchId); // read by nobody in the match: not built for every request
    }

    @Override
    public MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap();
    }

    @Override
    public MatchCommand body() {
        return command;
    }

    @Override
    public String replyAddress() {
        return null;
    }

    @Override
    public boolean isSend() {
        return true;
    }

    @Override
    public void reply(Object message, DeliveryOptions options) {
        if (message instanceof ReplyException refusal) {
            answer.tryFail(refusal);
        } else {
            answer.tryComplete((ServerFrame) message);
        }
    }

    @Override
    public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
        return Future.failedFuture(new UnsupportedOperationException("a match does not ask back"));
    }
}
