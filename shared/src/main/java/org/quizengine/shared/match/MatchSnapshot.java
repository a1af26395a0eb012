package org.quizengine.shared.match;

import java.util.List;
import org.quizengine.shared.protocol.ServerEvent;

/**
 * Everything a live match is, at one step: enough for another node to carry on from exactly there.
 * Times are absolute (epoch millis), so a deadline means the same on the node that takes over.
 *
 * @param version increases with every step, so a stale copy can be told from a fresh one
 */
public record MatchSnapshot(long version, MatchSpec spec, String phase, long startsAt, int questionIndex, long openedAt,
                            long deadline, long nextQuestionAt, List<SeatState> seats,
                            List<MatchResult.QuestionResult> closedQuestions, ServerEvent.Question openQuestion,
                            ServerEvent.Reveal lastReveal, MatchResult result) {

    public MatchSnapshot {
        seats = List.copyOf(seats);
        closedQuestions = List.copyOf(closedQuestions);
    }

    /** One seat: who sits there, where their socket is, and their score, streak and pending answer. */
    public record SeatState(java.util.UUID userId, String nodeId, String connectionId, boolean connected, boolean left,
                            long graceUntil, int score, int correctAnswers, int answeredQuestions, int streak,
                            int bestStreak, Integer option, long answeredAt, long elapsedMs, boolean pendingCorrect,
                            int pendingPoints, int pendingStreak) {
    }
}
