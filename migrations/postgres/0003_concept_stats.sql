-- PostgreSQL twin of ../0003_concept_stats.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Running per-concept tallies per user and question, updated with each attempt, so the
-- weak-concept view reads a few dozen rows per user instead of every concept result of
-- every attempt (which grows without bound).
CREATE TABLE concept_stats (
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL REFERENCES questions(id),
    concept      TEXT NOT NULL,
    seen         BIGINT NOT NULL,
    misses       BIGINT NOT NULL,               -- missed or contradicted
    contradicted BIGINT NOT NULL,
    last_status  TEXT NOT NULL,                  -- status in the latest attempt
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, question_id, concept)
);

-- Backfill from the results recorded so far.
INSERT INTO concept_stats (user_id, question_id, concept, seen, misses, contradicted, last_status, updated_at)
SELECT c.user_id, c.question_id, c.concept, COUNT(*),
       SUM(CASE WHEN c.status <> 'covered' THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.status = 'contradicted' THEN 1 ELSE 0 END),
       (SELECT c2.status FROM attempt_concepts c2 JOIN attempts a2 ON a2.id = c2.attempt_id
         WHERE c2.user_id = c.user_id AND c2.question_id = c.question_id AND c2.concept = c.concept
         ORDER BY a2.created_at DESC, a2.id DESC LIMIT 1),
       MAX(a.created_at)
FROM attempt_concepts c JOIN attempts a ON a.id = c.attempt_id
GROUP BY c.user_id, c.question_id, c.concept;
