-- PostgreSQL twin of ../0016_unsure.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Whether the grader could not tell if the answer holds (it explains through a
-- comparison and names few of the subject's terms): such an answer is kept and shown,
-- but counts for neither mastery, the schedule nor weak concepts.
ALTER TABLE attempts ADD COLUMN unsure BOOLEAN NOT NULL DEFAULT FALSE;
