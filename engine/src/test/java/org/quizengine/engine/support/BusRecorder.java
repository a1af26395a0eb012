package org.quizengine.engine.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Stands in for whoever listens on one event-bus address (a node taking deliveries for its sockets,
 * a node starting matches): keeps every message in arrival order and lets a test wait for the first
 * one that matches, so tests await events instead of sleeping.
 */
public final class BusRecorder<T> {
    /** How long {@link #first} waits before failing with what did arrive, well within a test's timeout. */
    public static final long WAIT_MILLIS = 5_000;

    private final Vertx vertx;
    private final String address;
    private final Consumer<Message<T>> answer;
    private final List<T> received = new ArrayList<>();
    private final List<Waiter<T>> waiters = new ArrayList<>();

    private record Waiter<T>(Predicate<? super T> condition, Promise<T> promise) {
    }

    private BusRecorder(Vertx vertx, String address, Consumer<Message<T>> answer) {
        this.vertx = vertx;
        this.address = address;
        this.answer = answer;
    }

    /** Records what arrives on {@code address} without answering (for {@code send}s). */
    public static <T> Future<BusRecorder<T>> listen(Vertx vertx, String address) {
        return listen(vertx, address, message -> { });
    }

    /** Records what arrives on {@code address}, answering each message with {@code answer}. */
    public static <T> Future<BusRecorder<T>> listen(Vertx vertx, String address, Consumer<Message<T>> answer) {
        BusRecorder<T> recorder = new BusRecorder<>(vertx, address, answer);
        return vertx.eventBus().<T>consumer(address, recorder::onMessage).completion().map(v -> recorder);
    }

    /** Everything received so far, in arrival order. */
    public synchronized List<T> received() {
        return List.copyOf(received);
    }

    /**
     * The first message matching {@code condition}, whether it has already arrived or is still to come.
     * Fails after {@link #WAIT_MILLIS} with everything that did arrive, which says more than a test timeout.
     */
    public synchronized Future<T> first(Predicate<? super T> condition) {
        for (T body : received) {
            if (condition.test(body)) {
                return Future.succeededFuture(body);
            }
        }
        Promise<T> promise = Promise.promise();
        Waiter<T> waiter = new Waiter<>(condition, promise);
        waiters.add(waiter);
        long timer = vertx.setTimer(WAIT_MILLIS, id -> {
            synchronized (this) {
                waiters.remove(waiter);
            }
            promise.tryFail(new AssertionError("Nothing awaited arrived on " + address + " within " + WAIT_MILLIS
                + " ms; what did arrive: " + received()));
        });
        return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    private void onMessage(Message<T> message) {
        T body = message.body();
        List<Promise<T>> due = new ArrayList<>(1);
        synchronized (this) {
            received.add(body);
            for (Iterator<Waiter<T>> it = waiters.iterator(); it.hasNext(); ) {
                Waiter<T> waiter = it.next();
                if (waiter.condition().test(body)) {
                    due.add(waiter.promise());
                    it.remove();
                }
            }
        }
        answer.accept(message);
        due.forEach(promise -> promise.tryComplete(body));
    }
}
