package org.quizengine.engine.support;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.quizengine.shared.ErrorCode;

/** Reads event-bus replies the way a node's gateway does: a reply, or a refusal carrying an {@link ErrorCode}. */
public final class BusReplies {
    private BusReplies() {
    }

    /** The code a request was refused with; fails if it was answered, or failed for another reason. */
    public static Future<ErrorCode> refusal(Future<?> request) {
        return request.transform(ar -> {
            if (ar.succeeded()) {
                return Future.failedFuture(new AssertionError("expected a refusal, got the reply " + ar.result()));
            }
            if (ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                return Future.succeededFuture(ErrorCode.fromBusCode(e.failureCode()));
            }
            return Future.failedFuture(ar.cause());
        });
    }

    /**
     * What a request came back with, as one word: the reply's type, the refusal's error code, or the
     * bus's own failure ({@code NO_HANDLERS}, {@code TIMEOUT}).
     */
    public static Future<String> outcome(Future<?> request) {
        return request.transform(ar -> {
            if (ar.succeeded()) {
                return Future.succeededFuture(ar.result() == null ? "no reply" : ar.result().getClass().getSimpleName());
            }
            if (ar.cause() instanceof ReplyException e) {
                return Future.succeededFuture(e.failureType() == ReplyFailure.RECIPIENT_FAILURE
                    ? ErrorCode.fromBusCode(e.failureCode()).name() : e.failureType().name());
            }
            return Future.failedFuture(ar.cause());
        });
    }
}
