package org.quizengine.api.auth;

import java.util.Objects;
import java.util.UUID;

/**
 * Who a verified access token speaks for, and the session it was issued to (its {@code sid}: what
 * logout, password change and account disabling revoke). Used by REST handlers and by the
 * WebSocket gateway alike.
 */
public record AuthenticatedUser(UUID userId, String username, Role role, UUID sessionId) {
    public AuthenticatedUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(sessionId, "sessionId");
    }
}
