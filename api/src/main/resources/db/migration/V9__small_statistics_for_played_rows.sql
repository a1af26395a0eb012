-- match_answers (100 rows for a 10-player, 10-question match) and match_questions (10, with the
-- question's text and options) only ever grow, and autovacuum analyzes a table each time it has grown
-- by a tenth. Each ANALYZE samples 300 rows per point of the largest statistics target, 30,000 rows at
-- the default of 100, and builds statistics for every column, the texts included: on a node at 16,000
-- players that was about 0.4 s of CPU per table in one burst each minute, in which answers waited
-- (benchmarks/RESULTS.md, session 10). Every query reads these tables by their primary key (a match's
-- detail, the data export) or joins them to it, so the planner needs no fine statistics here; a
-- target of 10 samples 3,000 rows.
ALTER TABLE match_answers
  ALTER COLUMN match_id SET STATISTICS 10,
  ALTER COLUMN question_index SET STATISTICS 10,
  ALTER COLUMN user_id SET STATISTICS 10,
  ALTER COLUMN option SET STATISTICS 10,
  ALTER COLUMN correct SET STATISTICS 10,
  ALTER COLUMN points SET STATISTICS 10,
  ALTER COLUMN streak SET STATISTICS 10,
  ALTER COLUMN elapsed_ms SET STATISTICS 10,
  ALTER COLUMN answered_at SET STATISTICS 10;

ALTER TABLE match_questions
  ALTER COLUMN match_id SET STATISTICS 10,
  ALTER COLUMN question_index SET STATISTICS 10,
  ALTER COLUMN question_id SET STATISTICS 10,
  ALTER COLUMN category_id SET STATISTICS 10,
  ALTER COLUMN difficulty SET STATISTICS 10,
  ALTER COLUMN text SET STATISTICS 10,
  ALTER COLUMN options SET STATISTICS 10,
  ALTER COLUMN correct_option SET STATISTICS 10,
  ALTER COLUMN opened_at SET STATISTICS 10,
  ALTER COLUMN closed_at SET STATISTICS 10;
