-- When each question was last put in one of a user's interviews (see SQLite's 0019).
CREATE TABLE asked_questions (
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL REFERENCES questions(id),
    asked_at     BIGINT NOT NULL,
    interview_id TEXT NOT NULL,
    PRIMARY KEY (user_id, question_id)
);
INSERT INTO asked_questions (user_id, question_id, asked_at, interview_id)
SELECT i.user_id, q.question_id, MAX(i.created_at), MAX(i.id)
FROM interview_questions q JOIN interviews i ON i.id = q.interview_id
GROUP BY i.user_id, q.question_id;
