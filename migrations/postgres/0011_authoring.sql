-- PostgreSQL twin of ../0011_authoring.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Question authoring on the web (issue #10): versions, web edits, sample answers.

-- The version of a question's content, bumped whenever its prompt, model answer,
-- keywords, relations, follow-ups, difficulty or order change (from a file or the web).
ALTER TABLE questions ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
-- Set when an admin created or edited the question on the web. Start-up and `rehearse
-- import` leave such a question alone while its file is unchanged since it was last
-- imported (`file_digest`); a changed file wins and clears the mark. Web-made questions
-- are never retired for being absent from the files.
ALTER TABLE questions ADD COLUMN edited_on_web BIGINT;
-- SHA-256 of the question as its file last defined it (NULL: never came from a file).
ALTER TABLE questions ADD COLUMN file_digest TEXT;

-- Every version's content, so an attempt is shown with the question it answered.
-- Version 1 of every question is today's content: what older attempts answered was not
-- kept, and this is the closest record there is.
CREATE TABLE question_versions (
    question_id TEXT NOT NULL REFERENCES questions(id),
    version     BIGINT NOT NULL,
    topic_id    TEXT NOT NULL,
    prompt      TEXT NOT NULL,
    answer      TEXT NOT NULL,
    keywords    TEXT NOT NULL,                   -- JSON, as in questions
    relations   TEXT NOT NULL,
    follow_ups  TEXT NOT NULL,
    difficulty  BIGINT NOT NULL,
    ordered     BOOLEAN NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (question_id, version)
);
INSERT INTO question_versions (question_id, version, topic_id, prompt, answer, keywords, relations, follow_ups, difficulty, ordered, created_at)
SELECT id, 1, topic_id, prompt, answer, keywords, relations, follow_ups, difficulty, ordered, updated_at FROM questions;

-- The version an attempt was graded against (NULL only for rows older than versions,
-- set to 1 here).
ALTER TABLE attempts ADD COLUMN question_version BIGINT;
UPDATE attempts SET question_version = 1;

-- Sample answers an author keeps beside a question with the band they expect the grader
-- to give; the page shows the grader's verdict on each against the current keywords.
CREATE TABLE question_samples (
    id            TEXT PRIMARY KEY,              -- UUID v4
    question_id   TEXT NOT NULL REFERENCES questions(id),
    answer        TEXT NOT NULL,
    expected_band TEXT NOT NULL,                 -- strong | partial | weak | off-topic (Band::as_str)
    created_at    BIGINT NOT NULL
);
CREATE INDEX question_samples_question ON question_samples(question_id, created_at);
