DO $$
DECLARE m uuid; us uuid[]; i int; base int;
BEGIN
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
  INSERT INTO match_answers (match_id, question_index, user_id, option, correct, points, streak, elapsed_ms, answered_at)
    SELECT m, q, u.id, 1, true, 100, 1, 1000, now() FROM generate_series(0,9) q, unnest(us) x JOIN users u ON u.id = x;
  INSERT INTO player_stats AS s (user_id, matches_played, wins, total_score, best_score, questions_answered, correct_answers, best_streak, last_played_at)
    SELECT u.id, 1, 0, 100, 100, 10, 5, 3, now() FROM unnest(us) x JOIN users u ON u.id = x AND u.deleted_at IS NULL ORDER BY u.id
    ON CONFLICT (user_id) DO UPDATE SET matches_played = s.matches_played + EXCLUDED.matches_played, total_score = s.total_score + EXCLUDED.total_score;
  COMMIT;
END LOOP;
END $$;
