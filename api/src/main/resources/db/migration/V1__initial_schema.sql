-- Users, the question bank, finished matches and lifetime stats.
-- Match rows are written once per match id (results are replayed idempotently), so every
-- child table is keyed by the match and written in the same transaction as its parent.

CREATE TABLE users (
  id            uuid        PRIMARY KEY,
  username      text        NOT NULL,
  email         text        NOT NULL,
  password_hash text        NOT NULL,
  role          text        NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin')),
  display_name  text,
  disabled      boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE categories (
  id     text    PRIMARY KEY,          -- a slug, e.g. 'science'
  name   text    NOT NULL,
  active boolean NOT NULL DEFAULT true
);

CREATE TABLE questions (
  id             bigserial   PRIMARY KEY,
  category_id    text        NOT NULL REFERENCES categories (id),
  difficulty     text        NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
  text           text        NOT NULL,
  options        text[]      NOT NULL CHECK (cardinality(options) BETWEEN 2 AND 6),
  correct_option smallint    NOT NULL CHECK (correct_option >= 0 AND correct_option < cardinality(options)),
  active         boolean     NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX questions_text_key ON questions (category_id, text);
CREATE INDEX questions_active_by_category ON questions (category_id) WHERE active;

CREATE TABLE matches (
  id             uuid        PRIMARY KEY,
  kind           text        NOT NULL CHECK (kind IN ('quick', 'lobby')),
  category_id    text,
  question_count int         NOT NULL,
  started_at     timestamptz NOT NULL,
  finished_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE match_players (
  match_id           uuid        NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
  user_id            uuid        NOT NULL REFERENCES users (id),
  username           text        NOT NULL,   -- as it was when the match was played
  finished_at        timestamptz NOT NULL,   -- copied from matches for keyset-paged history
  rank               int         NOT NULL,
  score              int         NOT NULL,
  correct_answers    int         NOT NULL,
  answered_questions int         NOT NULL,
  best_streak        int         NOT NULL,
  left_match         boolean     NOT NULL DEFAULT false,
  PRIMARY KEY (match_id, user_id)
);
-- "My history, newest first": keyset pagination on (finished_at, match_id).
CREATE INDEX match_players_history ON match_players (user_id, finished_at DESC, match_id DESC);

-- The question as it was asked (text and options copied), so history stays true after edits.
CREATE TABLE match_questions (
  match_id       uuid        NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
  question_index smallint    NOT NULL,
  question_id    bigint      REFERENCES questions (id),
  category_id    text        NOT NULL,
  difficulty     text        NOT NULL,
  text           text        NOT NULL,
  options        text[]      NOT NULL,
  correct_option smallint    NOT NULL,
  opened_at      timestamptz NOT NULL,
  closed_at      timestamptz NOT NULL,
  PRIMARY KEY (match_id, question_index)
);

CREATE TABLE match_answers (
  match_id       uuid        NOT NULL,
  question_index smallint    NOT NULL,
  user_id        uuid        NOT NULL REFERENCES users (id),
  option         smallint    NOT NULL,
  correct        boolean     NOT NULL,
  points         int         NOT NULL,
  streak         int         NOT NULL,
  elapsed_ms     int         NOT NULL,
  answered_at    timestamptz NOT NULL,
  PRIMARY KEY (match_id, question_index, user_id),
  FOREIGN KEY (match_id, question_index) REFERENCES match_questions (match_id, question_index) ON DELETE CASCADE
);
CREATE INDEX match_answers_by_user ON match_answers (user_id);

CREATE TABLE player_stats (
  user_id            uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  matches_played     int         NOT NULL DEFAULT 0,
  wins               int         NOT NULL DEFAULT 0,
  total_score        bigint      NOT NULL DEFAULT 0,
  best_score         int         NOT NULL DEFAULT 0,
  questions_answered int         NOT NULL DEFAULT 0,
  correct_answers    int         NOT NULL DEFAULT 0,
  best_streak        int         NOT NULL DEFAULT 0,
  last_played_at     timestamptz
);
