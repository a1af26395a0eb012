-- As V6 did for match_answers: every row of match_players and match_questions (10 each for a
-- 10-player, 10-question match) made PostgreSQL run two referential checks, one query each, about
-- 40 for every stored match. On a node at 10,000 players they were about a third of the time
-- PostgreSQL spent in the writer's statements: 3.0 ms per stored match with them, 2.1 without
-- (pg_stat_statements over 30 s, benchmarks/RESULTS.md, session 11).
--
-- The one writer (MatchResultStore) keeps what the keys promised: it inserts the match row in the same
-- transaction, and only for a match it inserted; player rows join users (locked FOR SHARE first), and
-- question rows LEFT JOIN questions, so a row names only an account or a question that exists.
-- Nothing deletes matches, accounts (they are anonymised) or questions (they are deactivated), so the
-- cascades had nothing to do.
ALTER TABLE match_players DROP CONSTRAINT match_players_match_id_fkey;
ALTER TABLE match_players DROP CONSTRAINT match_players_user_id_fkey;
ALTER TABLE match_questions DROP CONSTRAINT match_questions_match_id_fkey;
ALTER TABLE match_questions DROP CONSTRAINT match_questions_question_id_fkey;
