-- A match an operator ended before its last question keeps why, as its players were told
-- (POST /api/v1/admin/matches/{id}/end); NULL for a match played to its end.
ALTER TABLE matches ADD COLUMN end_reason text;
