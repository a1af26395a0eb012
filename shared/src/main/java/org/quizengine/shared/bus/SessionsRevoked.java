package org.quizengine.shared.bus;

import java.util.List;
import java.util.UUID;

/**
 * Sessions that have just been revoked (logout, password change, a disabled or deleted account,
 * refresh-token reuse), published on {@link Addresses#SESSIONS_REVOKED} so every node closes the
 * live connections opened with them. {@code code} is the error code name their sockets are told
 * ({@code SESSION_REVOKED} or {@code ACCOUNT_DISABLED}); {@code reason} is text a person can read.
 */
public record SessionsRevoked(List<UUID> sessionIds, String code, String reason) {
    public SessionsRevoked {
        sessionIds = List.copyOf(sessionIds);
    }
}
