-- PostgreSQL twin of ../0005_question_order.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Questions whose keywords are steps in the order listed (`ordered = true` in the
-- question file): only there does the grader check the order an answer states.
ALTER TABLE questions ADD COLUMN ordered BOOLEAN NOT NULL DEFAULT FALSE;
