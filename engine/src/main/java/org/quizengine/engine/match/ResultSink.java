package org.quizengine.engine.match;

import io.vertx.core.Future;
import java.util.UUID;
import org.quizengine.shared.match.MatchResult;

/** Where a finished match hands its result; it must keep it until it is stored. */
public interface ResultSink {
    /** Takes the result into safekeeping; succeeds once it can no longer be lost with this match. */
    Future<Void> submit(MatchResult result);

    /**
     * Whether a result of {@code matchId} was already handed over (waiting, or stored): then its
     * match finished, and a live record of it is a stale copy that came back (a split's merge).
     */
    default Future<Boolean> hasResult(UUID matchId) {
        return Future.succeededFuture(false);
    }
}
