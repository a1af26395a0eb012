-- match_answers is the one table that grows by a row for every answer played (100 rows for a
-- 10-player, 10-question match), and its two foreign keys made PostgreSQL run two referential checks
-- for each of those rows: about a third of the database's CPU per stored match (measured with
-- benchmarks/RESULTS.md's capacity runs and a 400-match load of these statements alone).
--
-- Both keys are kept by the only writer instead (MatchResultStore): an answer row is inserted in the
-- same transaction as its match's question rows, and joined with users so that no row names an
-- unknown account. Nothing deletes matches (accounts are anonymised, never removed), so the cascade
-- the question key carried had nothing to do. The primary key and the by-user index stay.

ALTER TABLE match_answers DROP CONSTRAINT match_answers_user_id_fkey;
ALTER TABLE match_answers DROP CONSTRAINT match_answers_match_id_question_index_fkey;
