package org.quizengine.engine.match;

import java.util.List;
import java.util.UUID;
import org.quizengine.shared.protocol.Standing;

/**
 * A live match as an operator sees it: where it runs, how far it is, and its players' standings
 * (scores without the open question's points, each player's connection status).
 *
 * @param question the current question's index (0-based; during the countdown, 0, the one to come)
 * @param deadline when the open question closes; {@code null} unless a question is open
 */
public record MatchView(UUID matchId, String node, String kind, String category, String phase, int question,
                        int questionCount, long startsAt, Long deadline, List<Standing> standings) {
}
