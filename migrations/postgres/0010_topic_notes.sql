-- PostgreSQL twin of ../0010_topic_notes.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Study notes imported with `rehearse import NOTES.md`: the text that is not a
-- "Question?" → "Answer" line, kept per topic and per notes file, so importing a second
-- file about the same topic adds its notes instead of replacing the first file's, and
-- importing a file again replaces only what it brought. A table rather than a column on
-- `topics` because a topic's notes can come from several files.
CREATE TABLE topic_notes (
    topic_id   TEXT NOT NULL REFERENCES topics(id),
    source     TEXT NOT NULL,                   -- "notes:FILENAME", as questions.source
    notes      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (topic_id, source)
);
