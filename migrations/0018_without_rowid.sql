-- Three tables written on every stored answer are keyed by their primary key alone:
-- an answer's concept outcomes, the per-concept tallies and the review schedule. As
-- rowid tables each row went into two b-trees (the table and its primary key's
-- index); WITHOUT ROWID tables keep the row in the primary key's b-tree itself, so an
-- answer writes about a dozen fewer b-tree entries and its rows take less space.
-- Nothing reads these tables by rowid. Every row is kept.

CREATE TABLE attempt_concepts_new (
    attempt_id  TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES questions(id),
    concept     TEXT NOT NULL,
    status      TEXT NOT NULL,                   -- covered | missed | contradicted
    PRIMARY KEY (attempt_id, concept)
) WITHOUT ROWID;
INSERT INTO attempt_concepts_new (attempt_id, user_id, question_id, concept, status)
SELECT attempt_id, user_id, question_id, concept, status FROM attempt_concepts;
DROP TABLE attempt_concepts;
ALTER TABLE attempt_concepts_new RENAME TO attempt_concepts;

CREATE TABLE concept_stats_new (
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL REFERENCES questions(id),
    concept      TEXT NOT NULL,
    seen         INTEGER NOT NULL,
    misses       INTEGER NOT NULL,               -- missed or contradicted
    contradicted INTEGER NOT NULL,
    last_status  TEXT NOT NULL,                  -- status in the latest attempt
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, question_id, concept)
) WITHOUT ROWID;
INSERT INTO concept_stats_new (user_id, question_id, concept, seen, misses, contradicted, last_status, updated_at)
SELECT user_id, question_id, concept, seen, misses, contradicted, last_status, updated_at FROM concept_stats;
DROP TABLE concept_stats;
ALTER TABLE concept_stats_new RENAME TO concept_stats;

CREATE TABLE schedules_new (
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
) WITHOUT ROWID;
INSERT INTO schedules_new (user_id, question_id, stability, difficulty, sm2_ease, interval_days, last_review_at,
                           due_at, last_score, updated_at)
SELECT user_id, question_id, stability, difficulty, sm2_ease, interval_days, last_review_at, due_at, last_score,
       updated_at
FROM schedules;
DROP TABLE schedules;
ALTER TABLE schedules_new RENAME TO schedules;
