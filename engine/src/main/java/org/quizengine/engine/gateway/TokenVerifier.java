package org.quizengine.engine.gateway;

import io.vertx.core.Future;
import org.quizengine.api.auth.AuthenticatedUser;

/**
 * Checks an access token, its session included; fails with a QuizException (UNAUTHORIZED,
 * SESSION_REVOKED, ACCOUNT_DISABLED, SERVICE_UNAVAILABLE) saying why it was refused.
 */
@FunctionalInterface
public interface TokenVerifier {
    Future<AuthenticatedUser> verify(String token);
}
