-- Questions whose keywords are steps in the order listed (`ordered = true` in the
-- question file): only there does the grader check the order an answer states.
ALTER TABLE questions ADD COLUMN ordered BOOLEAN NOT NULL DEFAULT FALSE;
