-- Question moderation: an edit counter for optimistic concurrency (a moderator's edit names the
-- version it was based on; a stale one is refused instead of silently overwriting another's edit).
ALTER TABLE questions ADD COLUMN version integer NOT NULL DEFAULT 1;
