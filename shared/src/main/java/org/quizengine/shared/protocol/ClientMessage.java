package org.quizengine.shared.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.UUID;

/**
 * A frame a player sends over the WebSocket. The JSON form carries a {@code type} field with the
 * name given in {@link JsonSubTypes}; see {@code docs/protocol.md}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClientMessage.Ping.class, name = "ping"),
    @JsonSubTypes.Type(value = ClientMessage.QuickMatch.class, name = "quick_match"),
    @JsonSubTypes.Type(value = ClientMessage.CancelQueue.class, name = "cancel_queue"),
    @JsonSubTypes.Type(value = ClientMessage.CreateLobby.class, name = "create_lobby"),
    @JsonSubTypes.Type(value = ClientMessage.JoinLobby.class, name = "join_lobby"),
    @JsonSubTypes.Type(value = ClientMessage.LeaveLobby.class, name = "leave_lobby"),
    @JsonSubTypes.Type(value = ClientMessage.StartLobby.class, name = "start_lobby"),
    @JsonSubTypes.Type(value = ClientMessage.Answer.class, name = "answer"),
    @JsonSubTypes.Type(value = ClientMessage.Resume.class, name = "resume"),
    @JsonSubTypes.Type(value = ClientMessage.LeaveMatch.class, name = "leave_match"),
})
public sealed interface ClientMessage {

    /** The wire name of this frame type, for error frames that refer to it. */
    default String typeName() {
        return WireTypes.CLIENT.get(getClass());
    }

    /** Keep-alive and clock probe; answered with {@code pong} echoing {@code clientTime}. */
    record Ping(Long clientTime) implements ClientMessage {
    }

    /** Wait for a quick match in a category ({@code null} for any) of {@code size} players ({@code null} for the default). */
    record QuickMatch(String category, Integer size) implements ClientMessage {
    }

    /** Leave the quick-match queue. */
    record CancelQueue() implements ClientMessage {
    }

    /** Open a private lobby; every setting is optional and bounded by the server. */
    record CreateLobby(String category, Integer maxPlayers, Integer questionCount, Integer secondsPerQuestion)
            implements ClientMessage {
    }

    /** Join a private lobby by its join code. */
    record JoinLobby(String code) implements ClientMessage {
    }

    /** Leave the lobby one is in (the host leaving closes it). */
    record LeaveLobby() implements ClientMessage {
    }

    /** The host starts the lobby's match. */
    record StartLobby() implements ClientMessage {
    }

    /** Answer question {@code index} (0-based) of a match with option {@code option} (0-based). */
    record Answer(UUID matchId, Integer index, Integer option) implements ClientMessage {
    }

    /** Ask for the full state of one's current match again (it is also sent on every connect). */
    record Resume() implements ClientMessage {
    }

    /** Leave one's current match for good; one's score so far stays in the standings. */
    record LeaveMatch() implements ClientMessage {
    }
}
