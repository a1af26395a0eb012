package org.quizengine.engine.matchmaking;

import org.quizengine.shared.protocol.PlayerInfo;

/** A player waiting in a queue or a lobby, and the node their socket is on. */
record Waiting(PlayerInfo player, String nodeId, long since) {
}
