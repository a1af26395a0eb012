package org.quizengine.shared.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.UUID;

/**
 * A frame the server sends over the WebSocket, and the payload the engine moves between a match and
 * the nodes its players are connected to. Times are epoch milliseconds on the server's clock.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ServerEvent.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = ServerEvent.Pong.class, name = "pong"),
    @JsonSubTypes.Type(value = ServerEvent.Error.class, name = "error"),
    @JsonSubTypes.Type(value = ServerEvent.Queued.class, name = "queued"),
    @JsonSubTypes.Type(value = ServerEvent.QueueLeft.class, name = "queue_left"),
    @JsonSubTypes.Type(value = ServerEvent.Lobby.class, name = "lobby"),
    @JsonSubTypes.Type(value = ServerEvent.LobbyClosed.class, name = "lobby_closed"),
    @JsonSubTypes.Type(value = ServerEvent.MatchStarting.class, name = "match_starting"),
    @JsonSubTypes.Type(value = ServerEvent.Question.class, name = "question"),
    @JsonSubTypes.Type(value = ServerEvent.AnswerAccepted.class, name = "answer_accepted"),
    @JsonSubTypes.Type(value = ServerEvent.AnswerCount.class, name = "answer_count"),
    @JsonSubTypes.Type(value = ServerEvent.Reveal.class, name = "reveal"),
    @JsonSubTypes.Type(value = ServerEvent.PlayerStatus.class, name = "player_status"),
    @JsonSubTypes.Type(value = ServerEvent.MatchFinished.class, name = "match_finished"),
    @JsonSubTypes.Type(value = ServerEvent.MatchState.class, name = "match_state"),
    @JsonSubTypes.Type(value = ServerEvent.NoMatch.class, name = "no_match"),
    @JsonSubTypes.Type(value = ServerEvent.Reconnect.class, name = "reconnect"),
})
public sealed interface ServerEvent {

    /** The match this event belongs to, or {@code null} for events outside any match. */
    default UUID matchId() {
        return null;
    }

    /** First frame on every connection. */
    record Welcome(int protocol, UUID userId, String username, long serverTime) implements ServerEvent {
    }

    /** Reply to {@code ping}. */
    record Pong(Long clientTime, long serverTime) implements ServerEvent {
    }

    /**
     * A request was refused; nothing changed.
     *
     * @param ref the {@code type} of the client frame that was refused, when known
     */
    record Error(String code, String message, String ref) implements ServerEvent {
    }

    /** The player is waiting for a quick match. */
    record Queued(String category, int size, int waiting) implements ServerEvent {
    }

    /** The player is no longer waiting for a quick match. */
    record QueueLeft() implements ServerEvent {
    }

    /** The current state of a private lobby, sent to all its members on every change. */
    record Lobby(String code, UUID hostId, String category, int maxPlayers, int questionCount, int secondsPerQuestion,
                 List<PlayerInfo> players) implements ServerEvent {
    }

    /** The lobby is gone: its host left, or the player left it. */
    record LobbyClosed(String code, String reason) implements ServerEvent {
    }

    /** A match was formed; the first question opens at {@code startsAt}. */
    record MatchStarting(UUID matchId, String kind, String category, List<PlayerInfo> players, int questionCount,
                         long questionMillis, long startsAt, long serverTime) implements ServerEvent {
    }

    /**
     * A question is open until {@code deadline}. It never carries the correct option.
     *
     * @param index 0-based position of the question in the match
     */
    record Question(UUID matchId, int index, int total, String category, String difficulty, String text,
                    List<String> options, long openedAt, long deadline, long serverTime) implements ServerEvent {
    }

    /** The player's answer was recorded; correctness is told only in the reveal. */
    record AnswerAccepted(UUID matchId, int index, int option, long elapsedMs) implements ServerEvent {
    }

    /**
     * How many have answered the open question, for a lobby's host screen only: never who, nor which
     * option. Quick matches never send it.
     *
     * @param answered players still in the match who have answered question {@code index}
     * @param of       players still in the match (connected or within their reconnect grace)
     */
    record AnswerCount(UUID matchId, int index, int answered, int of) implements ServerEvent {
    }

    /** A question closed: the correct option, everyone's result and the standings. */
    record Reveal(UUID matchId, int index, int correctOption, List<AnswerResult> results, List<Standing> standings,
                  long closedAt, Long nextQuestionAt) implements ServerEvent {
    }

    /** A player disconnected, came back, or left for good. */
    record PlayerStatus(UUID matchId, UUID userId, String status) implements ServerEvent {
    }

    /** The match is over; {@code ranking} is final; {@code endReason} only when an operator ended it early. */
    record MatchFinished(UUID matchId, List<Standing> ranking, long finishedAt, String endReason) implements ServerEvent {
        /** A match played to its end (or until everyone left): no reason to give. */
        public MatchFinished(UUID matchId, List<Standing> ranking, long finishedAt) {
            this(matchId, ranking, finishedAt, null);
        }
    }

    /**
     * Everything a (re)connecting player needs to carry on.
     *
     * @param phase      {@code countdown}, {@code question}, {@code reveal} or {@code finished}
     * @param question   the open question (without its answer) during {@code question}, else {@code null}
     * @param yourAnswer the option this player already chose for the open question, or {@code null}
     * @param remainingMs time left on the open question (or the countdown), by the server's clock
     * @param lastReveal the latest reveal, during {@code reveal}
     */
    record MatchState(UUID matchId, String phase, int questionCount, List<PlayerInfo> players, List<Standing> standings,
                      Question question, Integer yourAnswer, long remainingMs, Reveal lastReveal, long serverTime)
            implements ServerEvent {
    }

    /** Sent on connect (and for {@code resume}) when the player has no live match. */
    record NoMatch() implements ServerEvent {
    }

    /** This node is leaving: connect again (to any node) and carry on; the socket closes next with 1012. */
    record Reconnect(String reason) implements ServerEvent {
    }
}
