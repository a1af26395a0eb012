-- Profiles and "my data": an avatar on each account, and account deletion by anonymisation.
--
-- A deleted account keeps its row (its id is referenced by the match history other players still
-- read), but deleted_at is set and everything personal is replaced: see AccountDeletion. Every
-- account lookup treats a row with deleted_at set as absent.

ALTER TABLE users ADD COLUMN avatar_url text CHECK (char_length(avatar_url) <= 2048);
ALTER TABLE users ADD COLUMN deleted_at timestamptz;
