-- PostgreSQL twin of ../0013_peer_marks.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Peer marks (issue #10, item 6): a member shares one of their answers with a group, the
-- group's other members mark it 0-5, and admins compare the marks with the grader.
-- Numbered 0013: 0012 belongs to another branch. sqlx applies any migration it has not
-- applied yet, whatever its number, so the gap (and 0012 arriving later) is harmless.

-- An answer shown to one group. Sharing again is a no-op (the primary key). A share is
-- shown only while its sharer is still a member of the group (checked when reading, so
-- leaving hides it and rejoining shows it again); deleting the group or the answer
-- deletes it.
CREATE TABLE shared_attempts (
    group_id   TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    attempt_id TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    shared_by  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    shared_at  BIGINT NOT NULL,
    PRIMARY KEY (group_id, attempt_id)
);
-- "Which groups is this answer shared with" starts from the answer.
CREATE INDEX shared_attempts_attempt ON shared_attempts(attempt_id);

-- One mark per marker per answer, whichever group they saw it in (marking again
-- replaces it), so a marker in two of the sharer's groups does not count twice. A mark
-- is about the answer, not the group: it stays when the share or the group goes, so the
-- calibration data an admin relies on is not lost to someone leaving a group.
CREATE TABLE peer_marks (
    attempt_id TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    marker_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The group it was (last) marked through; NULL once that group is deleted.
    group_id   TEXT REFERENCES groups(id) ON DELETE SET NULL,
    score      BIGINT NOT NULL CHECK (score BETWEEN 0 AND 5),
    comment    TEXT NOT NULL DEFAULT '',         -- at most 500 characters (checked in domain/marks.rs)
    marked_at  BIGINT NOT NULL,
    PRIMARY KEY (attempt_id, marker_id)
);
