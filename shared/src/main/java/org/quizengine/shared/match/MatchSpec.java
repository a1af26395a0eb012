package org.quizengine.shared.match;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.quizengine.shared.protocol.PlayerInfo;

/**
 * Everything needed to start a live match on some node.
 *
 * @param category    the category asked for, or {@code null} for a mixed match
 * @param playerNodes the node each player's socket is on when the match forms
 * @param hostId      the lobby's host (one of the players) for a lobby match, whose host screen is told
 *                    how many have answered; {@code null} for a quick match, and for a lobby match formed
 *                    by a node that predates the field (it then has no host screen count)
 */
public record MatchSpec(UUID matchId, MatchKind kind, String category, List<PlayerInfo> players,
                        List<QuestionSpec> questions, MatchSettings settings, Map<UUID, String> playerNodes,
                        UUID hostId) {

    public MatchSpec {
        players = List.copyOf(players);
        questions = List.copyOf(questions);
        playerNodes = Map.copyOf(playerNodes);
        if (players.isEmpty()) {
            throw new IllegalArgumentException("a match needs players");
        }
        if (questions.size() != settings.questionCount()) {
            throw new IllegalArgumentException("expected " + settings.questionCount() + " questions, got " + questions.size());
        }
        if (hostId != null && kind != MatchKind.LOBBY) {
            throw new IllegalArgumentException("only a lobby match has a host");
        }
        if (hostId != null && players.stream().noneMatch(player -> player.userId().equals(hostId))) {
            throw new IllegalArgumentException("the host " + hostId + " is not one of the players");
        }
    }

    /** A match without a host: every quick match. */
    public MatchSpec(UUID matchId, MatchKind kind, String category, List<PlayerInfo> players,
                     List<QuestionSpec> questions, MatchSettings settings, Map<UUID, String> playerNodes) {
        this(matchId, kind, category, players, questions, settings, playerNodes, null);
    }
}
