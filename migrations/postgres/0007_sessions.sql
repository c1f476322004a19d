-- PostgreSQL twin of ../0007_sessions.sql: the same tables and columns, with PostgreSQL's types
-- (every integer BIGINT, as the code reads i64; booleans BOOLEAN). Keep the two in step.
-- Server-side sessions. The login cookie carries a random session id (32 bytes from the
-- OS); only its SHA-256 is stored, so a copy of the database does not give working
-- cookies. Every request looks its row up: a revoked row (logout, "log out
-- everywhere", a password change) or one past its idle or absolute time-out is logged
-- out, which is what a cookie copied before logout could not be made to respect.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,               -- hex SHA-256 of the cookie's session id
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,                -- the absolute time-out counts from here
    last_seen_at BIGINT NOT NULL,                -- written at most about once a minute
    revoked_at   BIGINT                          -- NULL while the session is live
);
CREATE INDEX sessions_user ON sessions(user_id, created_at);

-- The key in app_secrets named 'session_key' (it signed the old cookie sessions) now
-- keys the HMAC of the forms' CSRF tokens; logins kept in the old cookies end here.
