package org.quizengine.api.protection;

import org.quizengine.api.storage.OncePerMinute;
import org.slf4j.Logger;

/**
 * What a limit does when Redis cannot be asked: it lets the request through and says so in the
 * log, at most once a minute per kind, so an outage does not flood the log. Refusing every request
 * instead would turn a Redis outage into a full API outage; readiness already reports Redis down,
 * so load balancers and operators see it.
 */
final class FailOpen {
    private final Logger log;
    private final String what;
    private final OncePerMinute warnings = new OncePerMinute();

    FailOpen(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    void report(Throwable failure) {
        if (warnings.due()) {
            log.warn("{} not enforced: Redis did not answer ({}); letting requests through", what, failure.toString());
        }
    }
}
