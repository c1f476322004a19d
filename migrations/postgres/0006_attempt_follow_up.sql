-- PostgreSQL twin of ../0006_attempt_follow_up.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- The follow-up the interviewer asked after an answer (the concept it probes and the
-- question itself), stored with the attempt. The interview page and the graded reply
-- read it from here instead of re-grading the stored answer, which a bank edit would
-- change. Both NULL: nothing was asked (a retry, or an answer that needed none).
ALTER TABLE attempts ADD COLUMN follow_up_concept TEXT;
ALTER TABLE attempts ADD COLUMN follow_up_prompt TEXT;

-- Answers stored before this migration have no record of what was asked. They are
-- marked here and filled once, at start-up, by re-grading them against the bank of that
-- moment (the same computation the server used to repeat on every request; see
-- `Practice::backfill_follow_ups`), which then clears the mark. New rows are never marked.
ALTER TABLE attempts ADD COLUMN follow_up_backfill BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE attempts SET follow_up_backfill = TRUE WHERE kind <> 'retry';
CREATE INDEX attempts_follow_up_backfill ON attempts(follow_up_backfill) WHERE follow_up_backfill;
