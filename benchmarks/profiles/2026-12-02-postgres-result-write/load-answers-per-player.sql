-- load.sql for the schema of setup-answers-per-player.sql: answers one row per match-player.
DO $$
DECLARE m uuid; us uuid[]; i int; base int; qs smallint[]; os smallint[]; cs boolean[]; ps int[]; ss int[]; es int[]; ts timestamptz[];
BEGIN
  -- The answer arrays, built once: the node builds them in Java and passes them as parameters
  -- (building them in PL/pgSQL for each match cost another 30-50 µs per match).
  qs := ARRAY(SELECT q FROM generate_series(1, 10) p, generate_series(0, 9) q ORDER BY p, q);
  os := array_fill(1, ARRAY[100]); cs := array_fill(true, ARRAY[100]); ps := array_fill(100, ARRAY[100]);
  ss := array_fill(1, ARRAY[100]); es := array_fill(1000, ARRAY[100]); ts := array_fill(now(), ARRAY[100]);
FOR i IN 1..400 LOOP
  m := gen_random_uuid();
  base := (i * 10) % 9990;
  SELECT array_agg(id) INTO us FROM ids WHERE n > base AND n <= base + 10;
  INSERT INTO matches (id, kind, category_id, question_count, started_at, finished_at)
    SELECT * FROM unnest(ARRAY[m], ARRAY['quick'], ARRAY['science'], ARRAY[10], ARRAY[now()], ARRAY[now()]) ON CONFLICT (id) DO NOTHING;
  PERFORM 1 FROM users WHERE id = ANY(us) ORDER BY id FOR SHARE;
  INSERT INTO match_players (match_id, user_id, username, finished_at, rank, score, correct_answers, answered_questions, best_streak, left_match)
    SELECT m, u.id, 'name', now(), 1, 100, 5, 10, 3, false FROM unnest(us) x JOIN users u ON u.id = x;
  INSERT INTO match_questions (match_id, question_index, question_id, category_id, difficulty, text, options, correct_option, opened_at, closed_at)
    SELECT m, q, NULL, 'science', 'easy', 'Question text of some length here?', ARRAY['alpha','beta','gamma','delta'], 0, now(), now() FROM generate_series(0,9) q;
  -- As the variant's MatchResultStore passed them: every answer of the transaction in flat arrays,
  -- player after player, and each player's row naming its slice of them.
  INSERT INTO match_player_answers (match_id, user_id, question_index, option, correct, points, streak, elapsed_ms, answered_at)
    SELECT p.match_id, u.id, qs[p.first:p.last], os[p.first:p.last], cs[p.first:p.last], ps[p.first:p.last],
           ss[p.first:p.last], es[p.first:p.last], ts[p.first:p.last]
    FROM unnest(array_fill(m, ARRAY[10]), us, ARRAY(SELECT 1 + 10 * k FROM generate_series(0, 9) k),
                ARRAY(SELECT 10 + 10 * k FROM generate_series(0, 9) k)) AS p(match_id, user_id, first, last)
    JOIN users u ON u.id = p.user_id;
  INSERT INTO player_stats AS s (user_id, matches_played, wins, total_score, best_score, questions_answered, correct_answers, best_streak, last_played_at)
    SELECT u.id, 1, 0, 100, 100, 10, 5, 3, now() FROM unnest(us) x JOIN users u ON u.id = x AND u.deleted_at IS NULL ORDER BY u.id
    ON CONFLICT (user_id) DO UPDATE SET matches_played = s.matches_played + EXCLUDED.matches_played, total_score = s.total_score + EXCLUDED.total_score;
  COMMIT;
END LOOP;
END $$;
