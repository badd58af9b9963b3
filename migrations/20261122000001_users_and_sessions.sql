-- Users, their sessions and the record of failed sign-ins.
--
-- Roles and languages are text with CHECK constraints rather than Postgres enums: adding a
-- value later is a one-line constraint change inside a transaction, and sqlx maps text to the
-- domain enums through their parsers.

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    display_name  text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 120),
    -- argon2id PHC string; never leaves the server.
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'manager', 'sales', 'employee')),
    language      text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'nl', 'fr', 'es', 'it')),
    active        boolean NOT NULL DEFAULT true,
    -- Optimistic locking: every update states the version it read.
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- E-mail addresses are unique whatever their case: Anna@x and anna@x are one account.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Server-side sessions, so every server process sees the same sessions and sign-out or
-- deactivation ends them at once. Only a hash of the token is kept: a leaked table does not
-- let anyone sign in.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    user_agent   text
);

-- Ending every session of a user (deactivation, password change).
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
-- Purging expired sessions.
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- Failed sign-ins, per account and per client address, for throttling. Kept in Postgres so
-- that the limits hold across server processes.
CREATE TABLE sign_in_failures (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      text NOT NULL,
    address    text NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sign_in_failures_email_idx ON sign_in_failures (lower(email), failed_at);
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, failed_at);
