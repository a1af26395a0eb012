package org.quizengine.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.testing.StoreFixtures;

/**
 * Migration V11 moves every answer already stored (one row each in {@code match_answers}) into one row
 * per player of a match, and {@code match_answers} reads back as it did: a node upgraded over old data
 * shows the same match details and exports.
 */
@ExtendWith(VertxExtension.class)
class AnswerRowsMigrationTest {
    private static final String MATCH = "5d2a9c1e-3b7f-4e8a-9c0d-1f2e3a4b5c6d";
    private static final String ADA = "00000000-0000-4000-8000-00000000000a";
    private static final String BOB = "00000000-0000-4000-8000-00000000000b";

    @Test
    void answersStoredBeforeTheUpgradeReadBackTheSame(Vertx vertx, @TempDir Path dataDir) throws SQLException {
        Stores stores = StoreFixtures.start(vertx, dataDir);
        try {
            await(stores.pool().query("CREATE DATABASE before_v11").execute());
            PgConnectOptions pg = PgConnectOptions.fromUri(stores.postgresUri()).setDatabase("before_v11");
            String url = Stores.jdbcUrl(pg);
            Flyway.configure().dataSource(url, pg.getUser(), pg.getPassword()).locations(Stores.MIGRATIONS_LOCATION)
                .target("10").load().migrate();
            List<String> before;
            try (Connection db = DriverManager.getConnection(url, pg.getUser(), pg.getPassword());
                 Statement sql = db.createStatement()) {
                sql.execute("INSERT INTO users (id, username, email, password_hash) VALUES ('" + ADA
                    + "', 'ada', 'ada@example.test', 'x'), ('" + BOB + "', 'bob', 'bob@example.test', 'x')");
                // Ada answered questions 0 and 2 (inserted out of order), Bob question 1 only.
                sql.execute("""
                    INSERT INTO match_answers (match_id, question_index, user_id, option, correct, points, streak,
                                               elapsed_ms, answered_at) VALUES
                      ('%1$s', 2, '%2$s', 3, false, 0, 0, 2900, '2026-12-01 10:00:32.9+00'),
                      ('%1$s', 0, '%2$s', 1, true, 880, 1, 1200, '2026-12-01 10:00:11.2+00'),
                      ('%1$s', 1, '%3$s', 0, true, 950, 1, 500, '2026-12-01 10:00:20.5+00')
                    """.formatted(MATCH, ADA, BOB));
                before = answers(sql);
            }
            assertThat(before).hasSize(3);

            Flyway.configure().dataSource(url, pg.getUser(), pg.getPassword()).locations(Stores.MIGRATIONS_LOCATION)
                .load().migrate();

            try (Connection db = DriverManager.getConnection(url, pg.getUser(), pg.getPassword());
                 Statement sql = db.createStatement()) {
                assertThat(answers(sql)).as("match_answers after V11").containsExactlyElementsOf(before);
                List<String> types = new ArrayList<>();
                try (ResultSet r = sql.executeQuery("""
                    SELECT column_name || ' ' || data_type FROM information_schema.columns
                    WHERE table_name = 'match_answers' ORDER BY ordinal_position""")) {
                    while (r.next()) {
                        types.add(r.getString(1));
                    }
                }
                assertThat(types).as("the view's columns are the old table's").containsExactly("match_id uuid",
                    "question_index smallint", "user_id uuid", "option smallint", "correct boolean", "points integer",
                    "streak integer", "elapsed_ms integer", "answered_at timestamp with time zone");
                List<String> rows = new ArrayList<>();
                try (ResultSet r = sql.executeQuery(
                    "SELECT user_id, question_index::text, option::text FROM match_player_answers ORDER BY user_id")) {
                    while (r.next()) {
                        rows.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
                    }
                }
                assertThat(rows).as("one row per player, answers in question order")
                    .containsExactly(ADA + " {0,2} {1,3}", BOB + " {1} {0}");
            }
        } finally {
            await(stores.close());
        }
    }

    private static List<String> answers(Statement sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (ResultSet r = sql.executeQuery("""
            SELECT match_id, question_index, user_id, option, correct, points, streak, elapsed_ms, answered_at
            FROM match_answers ORDER BY question_index""")) {
            while (r.next()) {
                StringBuilder line = new StringBuilder();
                for (int column = 1; column <= 9; column++) {
                    line.append(r.getString(column)).append(' ');
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
