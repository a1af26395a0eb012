package org.quizengine.engine.match;

import io.vertx.core.Future;
import org.quizengine.shared.match.MatchResult;

/** Where a finished match hands its result; it must keep it until it is stored. */
public interface ResultSink {
    /** Takes the result into safekeeping; succeeds once it can no longer be lost with this match. */
    Future<Void> submit(MatchResult result);
}
