package org.quizengine.api.question;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.Objects;
import org.quizengine.shared.bus.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the matchmaker, on whichever node runs it, that moderators changed the question bank, and
 * waits (briefly) for it to reload, so a moderation write that has been answered is what new
 * matches draw from. If no matchmaker answers in time (none running, or it is busy), nothing
 * fails: its periodic reload picks the change up later. Live matches never reload: they hold the
 * copies of their questions they started with.
 */
public final class QuestionBankChanges {
    static final long REPLY_TIMEOUT_MILLIS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(QuestionBankChanges.class);

    private final Vertx vertx;

    public QuestionBankChanges(Vertx vertx) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
    }

    /** Announces a change ({@code what} is for logs) and completes once the matchmaker reloaded, or gave no answer. */
    Future<Void> announce(String what) {
        return vertx.eventBus()
            .request(Addresses.QUESTION_BANK_CHANGED, what, new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MILLIS))
            .<Void>mapEmpty()
            .recover(e -> {
                LOG.debug("No matchmaker confirmed reloading the question bank after {}: {}", what, e.getMessage());
                return Future.succeededFuture();
            });
    }
}
