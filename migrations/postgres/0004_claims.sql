-- PostgreSQL twin of ../0004_claims.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Self-assessment: the learner disagrees with the grader on one concept of an answer
-- ("I covered this" on a missed or contradicted concept, "I got this wrong" on a covered
-- one). A claim lives beside the grade: attempts.grade and attempt_concepts keep what the
-- grader said, so a claim can be changed or withdrawn and the grader's verdicts stay
-- countable. Mastery, the schedule and concept_stats are re-derived from both whenever a
-- claim changes (see src/practice/claims.rs).
CREATE TABLE attempt_claims (
    attempt_id    TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    concept       TEXT NOT NULL,                 -- a concept label of that attempt's stored grade
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- Copied from the attempt so "claims per concept of this question" (what the grader
    -- gets wrong, for question authors) is one indexed GROUP BY without a join.
    question_id   TEXT NOT NULL REFERENCES questions(id),
    -- The grader's verdict being disputed, copied from the stored grade (which never
    -- changes), so listing claims needs no JSON parsing: covered | missed | contradicted.
    grader_status TEXT NOT NULL,
    claim         TEXT NOT NULL CHECK (claim IN ('covered', 'wrong')),
    claimed_at    BIGINT NOT NULL,               -- last set or changed
    -- One claim per concept per attempt: changing it is an upsert, withdrawing a delete.
    PRIMARY KEY (attempt_id, concept)
);
CREATE INDEX attempt_claims_user ON attempt_claims(user_id, question_id);
CREATE INDEX attempt_claims_question ON attempt_claims(question_id, concept);
