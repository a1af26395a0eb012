package org.quizengine.api.mydata;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.api.mydata.DataExport.AskedQuestion;
import org.quizengine.api.mydata.DataExport.MyAnswer;
import org.quizengine.api.mydata.DataExport.PlayedMatch;

/** Reads every match a user played, with each question and their own answer, for their data export. */
public final class ExportRepository {

    static final String MY_MATCHES = """
        SELECT mp.match_id, m.kind, m.category_id, m.started_at, m.finished_at, mp.rank, mp.score,
               mp.correct_answers, mp.answered_questions, mp.best_streak, mp.left_match,
               (SELECT count(*) FROM match_players o WHERE o.match_id = mp.match_id) AS players
        FROM match_players mp
        JOIN matches m ON m.id = mp.match_id
        WHERE mp.user_id = $1
        ORDER BY mp.finished_at DESC, mp.match_id DESC""";

    static final String MY_QUESTIONS = """
        SELECT q.match_id, q.question_index, q.category_id, q.difficulty, q.text, q.options, q.correct_option,
               q.opened_at, q.closed_at, a.option, a.correct, a.points, a.elapsed_ms, a.answered_at
        FROM match_players mp
        JOIN match_questions q ON q.match_id = mp.match_id
        LEFT JOIN match_answers a
               ON a.match_id = q.match_id AND a.question_index = q.question_index AND a.user_id = mp.user_id
        WHERE mp.user_id = $1
        ORDER BY q.match_id, q.question_index""";

    private final Pool pool;

    static final String MY_SESSIONS = """
        SELECT id, created_at, last_used_at, expires_at, revoked_at, user_agent, client_address
        FROM sessions WHERE user_id = $1 ORDER BY created_at DESC""";

    public ExportRepository(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Every finished match {@code userId} played, newest first. */
    /** Every session recorded for {@code userId}, newest first. */
    public Future<List<DataExport.SignIn>> sessions(UUID userId) {
        return pool.preparedQuery(MY_SESSIONS).execute(Tuple.of(userId)).map(rows -> {
            List<DataExport.SignIn> sessions = new ArrayList<>();
            for (Row row : rows) {
                sessions.add(new DataExport.SignIn(row.getUUID("id"), text(row.getOffsetDateTime("created_at")),
                    text(row.getOffsetDateTime("last_used_at")), text(row.getOffsetDateTime("expires_at")),
                    text(row.getOffsetDateTime("revoked_at")), row.getString("user_agent"), row.getString("client_address")));
            }
            return sessions;
        });
    }

    private static String text(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }

    public Future<List<PlayedMatch>> matches(UUID userId) {
        Objects.requireNonNull(userId, "userId");
        Tuple id = Tuple.of(userId);
        Future<RowSet<Row>> matches = pool.preparedQuery(MY_MATCHES).execute(id);
        Future<RowSet<Row>> questions = pool.preparedQuery(MY_QUESTIONS).execute(id);
        return Future.all(matches, questions).map(both -> toMatches(matches.result(), questions.result()));
    }

    private static List<PlayedMatch> toMatches(RowSet<Row> matchRows, RowSet<Row> questionRows) {
        Map<UUID, List<AskedQuestion>> questionsByMatch = new HashMap<>();
        for (Row row : questionRows) {
            MyAnswer answer = row.getValue("option") == null ? null : new MyAnswer(row.getShort("option"),
                row.getBoolean("correct"), row.getInteger("points"), row.getInteger("elapsed_ms"),
                millis(row.getOffsetDateTime("answered_at")));
            questionsByMatch.computeIfAbsent(row.getUUID("match_id"), matchId -> new ArrayList<>())
                .add(new AskedQuestion(row.getShort("question_index"), row.getString("category_id"),
                    row.getString("difficulty"), row.getString("text"), Arrays.asList(row.getArrayOfStrings("options")),
                    row.getShort("correct_option"), millis(row.getOffsetDateTime("opened_at")),
                    millis(row.getOffsetDateTime("closed_at")), answer));
        }
        List<PlayedMatch> matches = new ArrayList<>(matchRows.size());
        for (Row row : matchRows) {
            UUID matchId = row.getUUID("match_id");
            matches.add(new PlayedMatch(matchId, row.getString("kind"), row.getString("category_id"),
                millis(row.getOffsetDateTime("started_at")), millis(row.getOffsetDateTime("finished_at")),
                row.getLong("players").intValue(), row.getInteger("rank"), row.getInteger("score"),
                row.getInteger("correct_answers"), row.getInteger("answered_questions"), row.getInteger("best_streak"),
                row.getBoolean("left_match"), questionsByMatch.getOrDefault(matchId, List.of())));
        }
        return matches;
    }

    private static long millis(OffsetDateTime time) {
        return time.toInstant().toEpochMilli();
    }
}
