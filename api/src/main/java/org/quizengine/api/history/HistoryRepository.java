package org.quizengine.api.history;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.ValidationException;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/** Reads finished matches: a player's history page by page, and any one match in full. */
public final class HistoryRepository {
    public static final int MAX_PAGE_SIZE = 100;

    private static final String HISTORY_COLUMNS = """
        SELECT mp.match_id, m.kind, m.category_id, m.started_at, mp.finished_at, mp.rank, mp.score,
               mp.correct_answers,
               (SELECT count(*) FROM match_players o WHERE o.match_id = mp.match_id) AS players
        FROM match_players mp
        JOIN matches m ON m.id = mp.match_id
        """;

    // Keyset pagination on the (user_id, finished_at DESC, match_id DESC) index: no OFFSET, so a
    // deep page costs what the first one does, and new matches do not shift the pages. The date range
    // ($2, $3) is optional (NULL: unbounded). The cursor has a statement of its own so that its row
    // comparison stays an index condition rather than a filter behind an OR.
    private static final String IN_RANGE = """
        WHERE mp.user_id = $1
          AND mp.finished_at >= coalesce($2::timestamptz, '-infinity'::timestamptz)
          AND mp.finished_at < coalesce($3::timestamptz, 'infinity'::timestamptz)
        """;

    static final String FIRST_PAGE = HISTORY_COLUMNS + IN_RANGE + """
        ORDER BY mp.finished_at DESC, mp.match_id DESC
        LIMIT $4""";

    static final String NEXT_PAGE = HISTORY_COLUMNS + IN_RANGE + """
          AND (mp.finished_at, mp.match_id) < ($5, $6)
        ORDER BY mp.finished_at DESC, mp.match_id DESC
        LIMIT $4""";

    static final String MATCH = """
        SELECT id, kind, category_id, question_count, started_at, finished_at, end_reason
        FROM matches WHERE id = $1""";

    // The match's player order (which match_finished lists ties in) is not stored: ties come by
    // username, compared by code point (COLLATE "C") so the order is the one openapi.yaml states on
    // any database locale, then by id.
    static final String MATCH_PLAYERS = """
        SELECT user_id, username, rank, score, correct_answers, best_streak, left_match
        FROM match_players WHERE match_id = $1
        ORDER BY rank, username COLLATE "C", user_id""";

    static final String MATCH_QUESTIONS = """
        SELECT question_index, category_id, difficulty, text, options, correct_option, opened_at, closed_at
        FROM match_questions WHERE match_id = $1
        ORDER BY question_index""";

    static final String MATCH_ANSWERS = """
        SELECT question_index, user_id, option, correct, points, elapsed_ms, answered_at
        FROM match_answers WHERE match_id = $1
        ORDER BY question_index, answered_at, user_id""";

    private final Pool pool;
    private final SecretKeySpec cursorKey;

    /**
     * @param cursorSecret a secret every node of the cluster shares (the token secret will do: a key
     *                     for cursors is derived from it), so that page cursors are signed
     */
    public HistoryRepository(Pool pool, byte[] cursorSecret) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.cursorKey = HistoryCursor.key(Objects.requireNonNull(cursorSecret, "cursorSecret"));
    }

    /** One page of all of {@code userId}'s finished matches; see {@link #history(UUID, HistoryRange, String, int)}. */
    public Future<HistoryPage> history(UUID userId, String cursor, int limit) {
        return history(userId, HistoryRange.ALL, cursor, limit);
    }

    /**
     * One page of {@code userId}'s finished matches within {@code range}, newest first.
     *
     * @param cursor {@code null} for the first page, else the {@code nextCursor} of the previous page
     * @param limit  1 to {@link #MAX_PAGE_SIZE}
     * @return the page; fails with a {@link ValidationException} naming {@code cursor} or {@code limit}
     */
    public Future<HistoryPage> history(UUID userId, HistoryRange range, String cursor, int limit) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(range, "range");
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            return Future.failedFuture(new ValidationException(List.of(
                new FieldError("limit", "must be between 1 and " + MAX_PAGE_SIZE))));
        }
        HistoryCursor after = null;
        if (cursor != null) {
            try {
                after = HistoryCursor.decode(cursor, userId, cursorKey);
            } catch (IllegalArgumentException e) {
                // Named like any rejected field, so a client knows to start the listing again.
                return Future.failedFuture(new ValidationException(List.of(new FieldError("cursor",
                    "is not a cursor this server gave you; start again from the first page"))));
            }
        }
        // One row more than asked tells whether there is a next page.
        Tuple args = Tuple.tuple()
            .addUUID(userId)
            .addOffsetDateTime(timestamp(range.from()))
            .addOffsetDateTime(timestamp(range.to()))
            .addInteger(limit + 1);
        if (after != null) {
            args.addOffsetDateTime(MatchResultStore.timestamp(after.finishedAt())).addUUID(after.matchId());
        }
        return pool.preparedQuery(after == null ? FIRST_PAGE : NEXT_PAGE).execute(args)
            .map(found -> toPage(found, userId, limit));
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private HistoryPage toPage(RowSet<Row> rows, UUID userId, int limit) {
        List<HistoryItem> items = new ArrayList<>(limit);
        for (Row row : rows) {
            if (items.size() == limit) {
                HistoryItem last = items.get(items.size() - 1);
                return new HistoryPage(items, new HistoryCursor(last.finishedAt(), last.matchId()).encode(userId, cursorKey));
            }
            items.add(new HistoryItem(row.getUUID("match_id"), row.getString("kind"), row.getString("category_id"),
                millis(row.getOffsetDateTime("started_at")), millis(row.getOffsetDateTime("finished_at")),
                row.getInteger("rank"), row.getInteger("score"), row.getInteger("correct_answers"),
                row.getLong("players").intValue()));
        }
        return new HistoryPage(items, null);
    }

    /**
     * A finished match in full; fails with {@link ErrorCode#NOT_FOUND} when there is no such match.
     * Who may see it is for the caller to decide.
     */
    public Future<MatchDetail> matchDetail(UUID matchId) {
        Objects.requireNonNull(matchId, "matchId");
        Tuple id = Tuple.of(matchId);
        return pool.preparedQuery(MATCH).execute(id).compose(match -> {
            if (match.size() == 0) {
                return Future.failedFuture(new QuizException(ErrorCode.NOT_FOUND, "No such match"));
            }
            // Match rows are written once and never updated, so three separate reads agree.
            Future<RowSet<Row>> players = pool.preparedQuery(MATCH_PLAYERS).execute(id);
            Future<RowSet<Row>> questions = pool.preparedQuery(MATCH_QUESTIONS).execute(id);
            Future<RowSet<Row>> answers = pool.preparedQuery(MATCH_ANSWERS).execute(id);
            return Future.all(players, questions, answers).map(all -> toDetail(match.iterator().next(),
                players.result(), questions.result(), answers.result()));
        });
    }

    private static MatchDetail toDetail(Row match, RowSet<Row> playerRows, RowSet<Row> questionRows,
                                        RowSet<Row> answerRows) {
        List<MatchDetail.Player> players = new ArrayList<>(playerRows.size());
        for (Row row : playerRows) {
            players.add(new MatchDetail.Player(row.getUUID("user_id"), row.getString("username"), row.getInteger("rank"),
                row.getInteger("score"), row.getInteger("correct_answers"), row.getInteger("best_streak"),
                row.getBoolean("left_match")));
        }
        Map<Integer, List<MatchDetail.Answer>> answersByQuestion = new HashMap<>();
        for (Row row : answerRows) {
            answersByQuestion.computeIfAbsent((int) row.getShort("question_index"), index -> new ArrayList<>())
                .add(new MatchDetail.Answer(row.getUUID("user_id"), row.getShort("option"), row.getBoolean("correct"),
                    row.getInteger("points"), row.getInteger("elapsed_ms"),
                    millis(row.getOffsetDateTime("answered_at"))));
        }
        List<MatchDetail.Question> questions = new ArrayList<>(questionRows.size());
        for (Row row : questionRows) {
            int index = row.getShort("question_index");
            questions.add(new MatchDetail.Question(index, row.getString("category_id"), row.getString("difficulty"),
                row.getString("text"), Arrays.asList(row.getArrayOfStrings("options")), row.getShort("correct_option"),
                millis(row.getOffsetDateTime("opened_at")), millis(row.getOffsetDateTime("closed_at")),
                answersByQuestion.getOrDefault(index, List.of())));
        }
        return new MatchDetail(match.getUUID("id"), match.getString("kind"), match.getString("category_id"),
            match.getInteger("question_count"), millis(match.getOffsetDateTime("started_at")),
            millis(match.getOffsetDateTime("finished_at")), match.getString("end_reason"), players, questions);
    }

    private static long millis(OffsetDateTime time) {
        return time.toInstant().toEpochMilli();
    }
}
