-- PostgreSQL twin of ../0014_topic_edits.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Topics edited on the web (issue #10): like questions (0011), a topic renamed or retired
-- by an admin keeps its web state at start-up while its file's topic header (name and
-- description) is unchanged since it was last imported; a changed header wins.
ALTER TABLE topics ADD COLUMN edited_on_web BIGINT;
-- SHA-256 of the name and description as the file last gave them (NULL: never from a file).
ALTER TABLE topics ADD COLUMN file_digest TEXT;
