-- When each question was last put in one of a user's interviews, kept as interviews
-- are created. A new mock interview puts the least recently asked questions first; it
-- read that off the user's latest 200 interviews (up to 2,000 rows, grouped, on every
-- start), which made starting an interview, and so every answer on average, slower as
-- a learner's history grew. This is one row per question the user was ever asked.
CREATE TABLE asked_questions (
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL REFERENCES questions(id),
    asked_at     BIGINT NOT NULL,                -- created_at of that interview
    interview_id TEXT NOT NULL,
    PRIMARY KEY (user_id, question_id)
) WITHOUT ROWID;
INSERT INTO asked_questions (user_id, question_id, asked_at, interview_id)
SELECT i.user_id, q.question_id, MAX(i.created_at), MAX(i.id)
FROM interview_questions q JOIN interviews i ON i.id = q.interview_id
GROUP BY i.user_id, q.question_id;
