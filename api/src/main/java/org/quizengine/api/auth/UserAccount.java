package org.quizengine.api.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code users}. Holds the password hash, so it never leaves the server as is.
 *
 * @param avatarUrl an https URL of the user's picture, or {@code null}
 */
public record UserAccount(
    UUID id,
    String username,
    String email,
    String passwordHash,
    Role role,
    String displayName,
    boolean disabled,
    Instant createdAt,
    String avatarUrl) {

    /** This user as signed in to {@code sessionId}. */
    public AuthenticatedUser asAuthenticatedUser(UUID sessionId) {
        return new AuthenticatedUser(id, username, role, sessionId);
    }

    @Override
    public String toString() {
        return "UserAccount[id=" + id + ", username=" + username + ", role=" + role + ", disabled=" + disabled + "]";
    }
}
