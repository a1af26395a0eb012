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
 */
public record MatchSpec(UUID matchId, MatchKind kind, String category, List<PlayerInfo> players,
                        List<QuestionSpec> questions, MatchSettings settings, Map<UUID, String> playerNodes) {

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
    }
}
