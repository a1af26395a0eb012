package org.quizengine.api.protection;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * What a limit does when Redis cannot be asked: it lets the request through and says so in the
 * log, at most once a minute per kind, so an outage does not flood the log. Refusing every request
 * instead would turn a Redis outage into a full API outage; readiness already reports Redis down,
 * so load balancers and operators see it.
 */
final class FailOpen {
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final Logger log;
    private final String what;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    FailOpen(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    void report(Throwable failure) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            log.warn("{} not enforced: Redis did not answer ({}); letting requests through", what, failure.toString());
        }
    }
}
