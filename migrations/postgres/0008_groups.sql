-- PostgreSQL twin of ../0008_groups.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Roles, disabled accounts, progress sharing, study groups (issue #10).

-- users.role (from 0001) is 'admin' or 'member'. A disabled account cannot log in and
-- its sessions are revoked when it is disabled; the row stays, so its history does.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
-- Off by default: a member's mastery is shown to their groups only once they opt in.
ALTER TABLE users ADD COLUMN share_progress BOOLEAN NOT NULL DEFAULT FALSE;
-- Set when an admin gives the user a temporary password, cleared when they choose their
-- own: until then logging in on the web lands on the password form.
ALTER TABLE users ADD COLUMN temporary_password BOOLEAN NOT NULL DEFAULT FALSE;

-- A study group. The invite code is stored normalised (upper case, no separators) and
-- is unique, so joining is one indexed lookup; rotating it replaces it, so the old code
-- stops working at once. The assignment (all four columns set, or none) is optional;
-- who has done it is counted from attempts since `assignment_set_at`.
CREATE TABLE groups (
    id                   TEXT PRIMARY KEY,        -- UUID v4
    name                 TEXT NOT NULL,
    owner_id             TEXT NOT NULL REFERENCES users(id),
    invite_code          TEXT NOT NULL UNIQUE,
    created_at           BIGINT NOT NULL,
    assignment_topic_id  TEXT REFERENCES topics(id),
    assignment_count     BIGINT,
    assignment_due_on    TEXT,                    -- ISO date (YYYY-MM-DD), NULL: no due date
    assignment_set_at    BIGINT
);

CREATE TABLE group_members (
    group_id  TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
-- "My groups" starts from the user.
CREATE INDEX group_members_user ON group_members(user_id);
