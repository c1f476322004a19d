-- PostgreSQL twin of ../0001_init.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- rehearse schema v1.
-- Plain portable SQL (TEXT ids, BIGINT unix-millisecond timestamps, JSON kept as TEXT)
-- so the same schema can move to PostgreSQL for groups that outgrow one box.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,              -- UUID v4
    username      TEXT NOT NULL,                 -- as typed, for display
    username_key  TEXT NOT NULL UNIQUE,          -- lower-cased: "Alice" and "alice" are one account
    password_hash TEXT NOT NULL,                 -- argon2id PHC string
    role          TEXT NOT NULL DEFAULT 'member',
    created_at    BIGINT NOT NULL
);

-- Keys the server generates once and keeps (the session-cookie signing key).
CREATE TABLE app_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Topics and questions mirror questions/*.toml. Rows are upserted by stable id and
-- never deleted: a question removed from the files gets retired_at set, so history
-- that points at it stays readable.
CREATE TABLE topics (
    id          TEXT PRIMARY KEY,                -- slug from the file name, e.g. "kubernetes"
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    retired_at  BIGINT
);

CREATE TABLE questions (
    id          TEXT PRIMARY KEY,
    topic_id    TEXT NOT NULL REFERENCES topics(id),
    prompt      TEXT NOT NULL,
    answer      TEXT NOT NULL,
    keywords    TEXT NOT NULL,                   -- JSON array of {concept, hint}
    relations   TEXT NOT NULL,                   -- JSON array of "a & b"
    follow_ups  TEXT NOT NULL,                   -- JSON array of strings
    difficulty  BIGINT NOT NULL,
    source      TEXT NOT NULL,                   -- file it came from
    updated_at  BIGINT NOT NULL,
    retired_at  BIGINT
);
CREATE INDEX questions_topic ON questions(topic_id);

CREATE TABLE interviews (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mode           TEXT NOT NULL DEFAULT 'mock',
    topics         TEXT NOT NULL,                -- JSON array of topic ids chosen
    position       BIGINT NOT NULL DEFAULT 0,   -- index of the next question to answer
    question_count BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    finished_at    BIGINT
);
CREATE INDEX interviews_user_created ON interviews(user_id, created_at);

CREATE TABLE interview_questions (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    position     BIGINT NOT NULL,
    question_id  TEXT NOT NULL REFERENCES questions(id),
    PRIMARY KEY (interview_id, position)
);

-- One row per graded answer. The full grade is kept as JSON for display; the fields
-- the learning loop aggregates on (score, band, concepts) are real columns/rows.
CREATE TABLE attempts (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    interview_id  TEXT REFERENCES interviews(id) ON DELETE SET NULL,
    question_id   TEXT NOT NULL REFERENCES questions(id),
    answer        TEXT NOT NULL,
    score         DOUBLE PRECISION NOT NULL,
    band          TEXT NOT NULL,
    feedback      TEXT NOT NULL,
    grade         TEXT NOT NULL,                 -- JSON of the grader's full result
    time_taken_ms BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX attempts_user_created ON attempts(user_id, created_at);
CREATE INDEX attempts_user_question ON attempts(user_id, question_id, created_at);
CREATE INDEX attempts_interview ON attempts(interview_id, created_at);

-- Per-concept outcome of each attempt, so "concepts you miss most" is one indexed
-- GROUP BY rather than a scan of every attempt's JSON.
CREATE TABLE attempt_concepts (
    attempt_id  TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES questions(id),
    concept     TEXT NOT NULL,
    status      TEXT NOT NULL,                   -- covered | missed | contradicted
    PRIMARY KEY (attempt_id, concept)
);
CREATE INDEX attempt_concepts_user_status ON attempt_concepts(user_id, status, concept);
