-- Wrong claims the author anticipates for a question, each with the correction shown
-- when an answer makes it: a JSON array of {"subject", "claim", "correction"} (see
-- grading::Misconception). Questions stored before, and notes imported without any,
-- have none.
ALTER TABLE questions ADD COLUMN misconceptions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE question_versions ADD COLUMN misconceptions TEXT NOT NULL DEFAULT '[]';
