-- PostgreSQL twin of ../0002_learning.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Learning loop: spaced-repetition schedule, retries, follow-ups, per-question timer.

-- kind: 'answer' (first answer to an interview question), 'retry' (the same question
-- answered again right after feedback) or 'drill' answers; follow-up replies live in
-- follow_up_answers, linked to the attempt they probe.
ALTER TABLE attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'answer';

-- Seconds per question for a timed mock interview (NULL = untimed).
ALTER TABLE interviews ADD COLUMN timer_seconds BIGINT;

-- SM-2 state per user and question (see src/learning/schedule.rs). One row per pair,
-- updated in the same transaction as the attempt that changed it.
CREATE TABLE schedules (
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL REFERENCES questions(id),
    repetitions  BIGINT NOT NULL,
    ease         DOUBLE PRECISION NOT NULL,
    interval_days DOUBLE PRECISION NOT NULL,
    due_at       BIGINT NOT NULL,
    last_score   DOUBLE PRECISION NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, question_id)
);
-- "What is due for this user?" is a range scan on this index.
CREATE INDEX schedules_user_due ON schedules(user_id, due_at);

-- A follow-up question asked after an answer that missed or contradicted a concept,
-- and the reply, graded against that one concept.
CREATE TABLE follow_up_answers (
    id          TEXT PRIMARY KEY,
    attempt_id  TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    concept     TEXT NOT NULL,
    prompt      TEXT NOT NULL,
    answer      TEXT NOT NULL,
    status      TEXT NOT NULL,                   -- covered | missed | contradicted
    created_at  BIGINT NOT NULL,
    UNIQUE (attempt_id)
);
