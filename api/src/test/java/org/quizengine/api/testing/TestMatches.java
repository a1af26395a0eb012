package org.quizengine.api.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.AnswerRecord;
import org.quizengine.shared.match.MatchResult.PlayerResult;
import org.quizengine.shared.match.MatchResult.QuestionResult;
import org.quizengine.shared.match.QuestionSpec;

/**
 * Builds self-consistent match results for storage tests: answers, points, streaks, scores and
 * ranks agree with each other, so the stats derived from them can be checked by hand.
 *
 * <p>Question {@code q} has 4 options, the correct one being {@code 0}. Player {@code i} (0-based,
 * in the order given) answers every question with option {@code (q * i) % 4}, after
 * {@code 1000 + 500 * i} ms, for {@code 1000 - elapsed / 10} points when correct. So player 0 is
 * always right; player 1 is right on questions 0, 4, 8...; player 2 on even questions.
 */
public final class TestMatches {
    public static final long QUESTION_MILLIS = 10_000;
    public static final long COUNTDOWN_MILLIS = 3_000;

    private TestMatches() {
    }

    public static MatchResult match(UUID matchId, long finishedAt, int questionCount, List<UUID> users) {
        return match(matchId, MatchKind.QUICK, "science", finishedAt, questionCount, users);
    }

    public static MatchResult match(UUID matchId, MatchKind kind, String category, long finishedAt, int questionCount,
                                    List<UUID> users) {
        long startedAt = finishedAt - COUNTDOWN_MILLIS - questionCount * QUESTION_MILLIS;
        int[] scores = new int[users.size()];
        int[] correct = new int[users.size()];
        int[] streak = new int[users.size()];
        int[] bestStreak = new int[users.size()];
        List<QuestionResult> questions = new ArrayList<>();
        for (int q = 0; q < questionCount; q++) {
            long openedAt = startedAt + COUNTDOWN_MILLIS + q * QUESTION_MILLIS;
            List<AnswerRecord> answers = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                int option = (q * i) % 4;
                boolean right = option == 0;
                long elapsed = 1000 + 500L * i;
                int points = right ? (int) (1000 - elapsed / 10) : 0;
                streak[i] = right ? streak[i] + 1 : 0;
                bestStreak[i] = Math.max(bestStreak[i], streak[i]);
                scores[i] += points;
                correct[i] += right ? 1 : 0;
                answers.add(new AnswerRecord(users.get(i), option, right, points, elapsed, openedAt + elapsed, streak[i]));
            }
            QuestionSpec spec = new QuestionSpec(1_000_000L + q, category == null ? "science" : category, "easy",
                "Question " + q + " of " + matchId, List.of("right", "wrong 1", "wrong 2", "wrong 3"), 0);
            questions.add(new QuestionResult(q, spec, openedAt, openedAt + QUESTION_MILLIS - 1000, answers));
        }
        List<PlayerResult> players = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            players.add(new PlayerResult(users.get(i), "player" + i, rank(scores, i), scores[i], correct[i],
                questionCount, bestStreak[i], false));
        }
        return new MatchResult(matchId, kind, category, startedAt, finishedAt, players, questions);
    }

    /** Competition ranking: ties share a rank, the next rank skips. */
    private static int rank(int[] scores, int player) {
        int better = 0;
        for (int score : scores) {
            if (score > scores[player]) {
                better++;
            }
        }
        return better + 1;
    }

    /** Each player's score in {@code result}. */
    public static Map<UUID, Integer> scores(MatchResult result) {
        Map<UUID, Integer> scores = new java.util.HashMap<>();
        result.players().forEach(p -> scores.put(p.userId(), p.score()));
        return scores;
    }
}
