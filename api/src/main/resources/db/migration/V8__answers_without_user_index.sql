-- match_answers gains a row for every answer played, and each row also went into an index on
-- user_id that no query reads: a player's answers are found through match_players (indexed by
-- user) and then this table's primary key (match_id, question_index, user_id), which is how the
-- data export and a match's detail read them. One index entry less for every stored answer.
DROP INDEX IF EXISTS match_answers_by_user;
