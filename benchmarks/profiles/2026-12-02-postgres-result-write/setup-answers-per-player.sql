-- The variant "answers one row per match-player" (measured 2026-12-03, not taken: see README.md),
-- applied after setup.sql in place of a migration: match_answers replaced by one row per player of
-- a match, element i of each array one answer. load-answers-per-player.sql writes to it.
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
  CHECK (cardinality(option) = cardinality(question_index)
     AND cardinality(correct) = cardinality(question_index)
     AND cardinality(points) = cardinality(question_index)
     AND cardinality(streak) = cardinality(question_index)
     AND cardinality(elapsed_ms) = cardinality(question_index)
     AND cardinality(answered_at) = cardinality(question_index))
);
DROP TABLE match_answers;
