-- Every answer played was a row of match_answers (100 rows and 100 primary-key entries for a
-- 10-player, 10-question match), and inserting them was about half of PostgreSQL's CPU per answer on
-- a node at 10,000 players (pg_stat_statements: 11.9 ms for the ~960 answer rows of a transaction,
-- benchmarks/RESULTS.md, session 11). A player's answers in a match are now one row of
-- match_player_answers, element i of each array one answer, in question order: 10 rows per match.
--
-- match_answers stays as a view with the old columns, one row per answer, so every reader (a match's
-- detail, the data export, the benchmark's audit) reads what it read before. A query that names a
-- match (and player) reaches match_player_answers through its primary key.
--
-- The one writer (MatchResultStore) keeps the rules match_answers had: a row only for a player of a
-- match it inserted, joined with users; a player who answered nothing has no row.
--
-- Nodes of an earlier release must be stopped before one of this release starts (deploy/README.md):
-- the lock below holds back their answer inserts so none lands between the copy and the drop, and
-- after this migration they can no longer store a result.
LOCK TABLE match_answers IN EXCLUSIVE MODE;

CREATE TABLE match_player_answers (
  match_id       uuid          NOT NULL,
  user_id        uuid          NOT NULL,
  question_index smallint[]    NOT NULL,
  option         smallint[]    NOT NULL,
  correct        boolean[]     NOT NULL,
  points         int[]         NOT NULL,
  streak         int[]         NOT NULL,
  elapsed_ms     int[]         NOT NULL,
  answered_at    timestamptz[] NOT NULL,
  PRIMARY KEY (match_id, user_id),
  -- The view unnests the arrays side by side: arrays of different lengths would pad with NULLs, and
  -- its columns were NOT NULL in match_answers.
  CHECK (cardinality(question_index) > 0
     AND cardinality(option) = cardinality(question_index)
     AND cardinality(correct) = cardinality(question_index)
     AND cardinality(points) = cardinality(question_index)
     AND cardinality(streak) = cardinality(question_index)
     AND cardinality(elapsed_ms) = cardinality(question_index)
     AND cardinality(answered_at) = cardinality(question_index)
     AND array_position(question_index, NULL) IS NULL AND array_position(option, NULL) IS NULL
     AND array_position(correct, NULL) IS NULL AND array_position(points, NULL) IS NULL
     AND array_position(streak, NULL) IS NULL AND array_position(elapsed_ms, NULL) IS NULL
     AND array_position(answered_at, NULL) IS NULL)
);

INSERT INTO match_player_answers (match_id, user_id, question_index, option, correct, points, streak, elapsed_ms,
                                  answered_at)
SELECT match_id, user_id,
       array_agg(question_index ORDER BY question_index), array_agg(option ORDER BY question_index),
       array_agg(correct ORDER BY question_index), array_agg(points ORDER BY question_index),
       array_agg(streak ORDER BY question_index), array_agg(elapsed_ms ORDER BY question_index),
       array_agg(answered_at ORDER BY question_index)
FROM match_answers
GROUP BY match_id, user_id;

DROP TABLE match_answers;

CREATE VIEW match_answers AS
SELECT p.match_id, a.question_index, p.user_id, a.option, a.correct, a.points, a.streak, a.elapsed_ms, a.answered_at
FROM match_player_answers p
CROSS JOIN LATERAL unnest(p.question_index, p.option, p.correct, p.points, p.streak, p.elapsed_ms, p.answered_at)
  AS a(question_index, option, correct, points, streak, elapsed_ms, answered_at);

-- As V9 did for match_answers: the table only grows, and every query reads it by its primary key.
ALTER TABLE match_player_answers
  ALTER COLUMN match_id SET STATISTICS 10,
  ALTER COLUMN user_id SET STATISTICS 10,
  ALTER COLUMN question_index SET STATISTICS 10,
  ALTER COLUMN option SET STATISTICS 10,
  ALTER COLUMN correct SET STATISTICS 10,
  ALTER COLUMN points SET STATISTICS 10,
  ALTER COLUMN streak SET STATISTICS 10,
  ALTER COLUMN elapsed_ms SET STATISTICS 10,
  ALTER COLUMN answered_at SET STATISTICS 10;
