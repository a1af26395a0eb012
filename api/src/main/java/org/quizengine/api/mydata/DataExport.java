package org.quizengine.api.mydata;

import java.util.List;
import java.util.UUID;
import org.quizengine.api.profile.PlayerStats;

/**
 * Everything the system holds about one user, as {@code GET /me/export} sends it. Times are epoch
 * millis except the ISO-8601 {@code exportedAt} and {@code account.createdAt}; absent values are
 * left out.
 *
 * @param leaderboards the boards the user is on now: {@code all}, {@code week}, {@code day},
 *                     {@code previous-week}, {@code previous-day} (as in the leaderboard URLs)
 * @param matches      every finished match they played, newest first
 * @param sessions     every session (sign-in) recorded for them, newest first, ended ones included
 */
public record DataExport(String exportedAt, Account account, PlayerStats stats, List<Standing> leaderboards,
                         List<PlayedMatch> matches, List<SignIn> sessions) {

    public DataExport {
        leaderboards = List.copyOf(leaderboards);
        matches = List.copyOf(matches);
        sessions = List.copyOf(sessions);
    }

    /** A session (one sign-in) as recorded: when, from where, and whether it has ended. Times are ISO-8601. */
    public record SignIn(UUID id, String createdAt, String lastUsedAt, String expiresAt, String revokedAt,
                         String userAgent, String clientAddress) {
    }

    /** The account row, without the password hash. */
    public record Account(UUID id, String username, String email, String displayName, String avatarUrl, String role,
                          boolean disabled, String createdAt) {
    }

    /** A position on one leaderboard. */
    public record Standing(String board, int rank, long score) {
    }

    /** One match from the user's side: their result, and every question with their answer to it. */
    public record PlayedMatch(UUID matchId, String kind, String category, long startedAt, long finishedAt, int players,
                              int rank, int score, int correctAnswers, int answeredQuestions, int bestStreak,
                              boolean left, List<AskedQuestion> questions) {
        public PlayedMatch {
            questions = List.copyOf(questions);
        }
    }

    /** A question as it was asked; {@code myAnswer} is absent when the user did not answer it. */
    public record AskedQuestion(int index, String category, String difficulty, String text, List<String> options,
                                int correctOption, long openedAt, long closedAt, MyAnswer myAnswer) {
        public AskedQuestion {
            options = List.copyOf(options);
        }
    }

    /** The user's answer to a question. */
    public record MyAnswer(int option, boolean correct, int points, long elapsedMs, long answeredAt) {
    }
}
