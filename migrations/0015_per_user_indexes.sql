-- Every stored answer wrote its concepts into this index too: six or so entries at a
-- random place per learner, a page of the write-ahead log per answer under load. Its
-- only reader, re-deriving an answer's concepts after a self-assessment, finds them
-- through the attempts' own (user, question) index and this table's primary key.
DROP INDEX IF EXISTS attempt_concepts_user_status;

-- Likewise for due dates: every answer moved its schedule's entry here. A learner's
-- schedules are one per question they answered, found by the primary key (user first)
-- and sorted by due date in memory.
DROP INDEX IF EXISTS schedules_user_due;
