-- Whether the grader could not tell if the answer holds (it explains through a
-- comparison and names few of the subject's terms): such an answer is kept and shown,
-- but counts for neither mastery, the schedule nor weak concepts.
ALTER TABLE attempts ADD COLUMN unsure INTEGER NOT NULL DEFAULT 0;
