-- PostgreSQL twin of ../0009_spoken.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Whether an answer was dictated (speech recognition in the browser) rather than typed.
ALTER TABLE attempts ADD COLUMN spoken BOOLEAN NOT NULL DEFAULT FALSE;
