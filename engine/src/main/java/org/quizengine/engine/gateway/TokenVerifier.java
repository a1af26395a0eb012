package org.quizengine.engine.gateway;

import io.vertx.core.Future;
import org.quizengine.shared.protocol.PlayerInfo;

/** Checks an access token; fails with a QuizException (UNAUTHORIZED) saying why it was refused. */
@FunctionalInterface
public interface TokenVerifier {
    Future<PlayerInfo> verify(String token);
}
