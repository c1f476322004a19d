-- PostgreSQL twin of ../0012_fsrs.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- FSRS replaces SM-2 as the review schedule (src/learning/schedule.rs).

-- The schedule holds FSRS's memory state (stability in days, difficulty 1..10) and when
-- the question was last reviewed (FSRS measures recall from there). SQLite cannot change
-- a column's constraints, so the table is rebuilt; every row is kept, with its due date.
-- An SM-2 row comes over with stability and difficulty NULL and its ease in sm2_ease:
-- the start-up converts it with FSRS's own SM-2 conversion (which needs exp and pow,
-- not available in SQLite) and clears sm2_ease. Readers treat a row still holding
-- sm2_ease the same way, so nothing depends on the conversion having run.
CREATE TABLE schedules_fsrs (
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id    TEXT NOT NULL REFERENCES questions(id),
    stability      DOUBLE PRECISION,
    difficulty     DOUBLE PRECISION,
    sm2_ease       DOUBLE PRECISION,
    interval_days  DOUBLE PRECISION NOT NULL,
    last_review_at BIGINT NOT NULL,
    due_at         BIGINT NOT NULL,
    last_score     DOUBLE PRECISION NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (user_id, question_id),
    CHECK ((stability IS NULL) = (sm2_ease IS NOT NULL))
);

-- SM-2 set due_at = review time + interval, so the review time is due_at - interval.
INSERT INTO schedules_fsrs (user_id, question_id, stability, difficulty, sm2_ease, interval_days, last_review_at,
                            due_at, last_score, updated_at)
SELECT user_id, question_id, NULL, NULL, ease, interval_days,
       due_at - CAST(ROUND(interval_days * 86400000) AS BIGINT), due_at, last_score, updated_at
FROM schedules;

DROP TABLE schedules;
ALTER TABLE schedules_fsrs RENAME TO schedules;
-- "What is due for this user?" is a range scan on this index.
CREATE INDEX schedules_user_due ON schedules(user_id, due_at);

-- The recall a learner wants on a question's due date (0.70..0.97; FSRS sets the
-- intervals for it).
ALTER TABLE users ADD COLUMN desired_retention DOUBLE PRECISION NOT NULL DEFAULT 0.9;

-- A learner's own FSRS parameters, fitted in the background from their review log.
-- No row: the crate's defaults. `reviews` is how many follow-up reviews the fit saw, so
-- the next fit waits for enough new ones.
CREATE TABLE fsrs_parameters (
    user_id    TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    parameters TEXT NOT NULL,               -- JSON array of FSRS's 21 numbers
    reviews    BIGINT NOT NULL,
    fitted_at  BIGINT NOT NULL
);
