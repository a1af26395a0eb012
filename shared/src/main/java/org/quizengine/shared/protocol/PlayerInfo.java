package org.quizengine.shared.protocol;

import java.util.UUID;

/** A player as other players see them. */
public record PlayerInfo(UUID userId, String username) {
}
