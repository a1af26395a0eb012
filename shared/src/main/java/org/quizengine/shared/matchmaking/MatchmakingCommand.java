package org.quizengine.shared.matchmaking;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.UUID;
import org.quizengine.shared.protocol.PlayerInfo;

/**
 * What a node's gateway asks of the matchmaker (quick-match queues and private lobbies). Replies are
 * {@code ServerEvent}s; refusals are event-bus failures carrying an {@code ErrorCode}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MatchmakingCommand.JoinQueue.class, name = "join_queue"),
    @JsonSubTypes.Type(value = MatchmakingCommand.LeaveQueue.class, name = "leave_queue"),
    @JsonSubTypes.Type(value = MatchmakingCommand.CreateLobby.class, name = "create_lobby"),
    @JsonSubTypes.Type(value = MatchmakingCommand.JoinLobby.class, name = "join_lobby"),
    @JsonSubTypes.Type(value = MatchmakingCommand.LeaveLobby.class, name = "leave_lobby"),
    @JsonSubTypes.Type(value = MatchmakingCommand.StartLobby.class, name = "start_lobby"),
    @JsonSubTypes.Type(value = MatchmakingCommand.PlayerGone.class, name = "player_gone"),
})
public sealed interface MatchmakingCommand {

    UUID userId();

    /** Wait for a quick match; {@code category} null means any, {@code size} null means the default. */
    record JoinQueue(PlayerInfo player, String nodeId, String category, Integer size) implements MatchmakingCommand {
        public UUID userId() {
            return player.userId();
        }
    }

    record LeaveQueue(UUID userId) implements MatchmakingCommand {
    }

    /** Open a private lobby; null settings take the server's defaults. */
    record CreateLobby(PlayerInfo player, String nodeId, String category, Integer maxPlayers, Integer questionCount,
                       Integer secondsPerQuestion) implements MatchmakingCommand {
        public UUID userId() {
            return player.userId();
        }
    }

    record JoinLobby(PlayerInfo player, String nodeId, String code) implements MatchmakingCommand {
        public UUID userId() {
            return player.userId();
        }
    }

    record LeaveLobby(UUID userId) implements MatchmakingCommand {
    }

    record StartLobby(UUID userId) implements MatchmakingCommand {
    }

    /** The player's socket closed: drop them from any queue or lobby. */
    record PlayerGone(UUID userId) implements MatchmakingCommand {
    }
}
