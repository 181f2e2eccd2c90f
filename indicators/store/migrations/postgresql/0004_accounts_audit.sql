-- PostgreSQL's 0004_accounts_audit.sql (json_build_object for DuckDB's struct literal).
-- Accounts, target edits and the audit log (issue 6).
--
-- Passwords are stored only as argon2id hashes (auth.py); nothing here holds a password in plain text.
-- Every write appends one audit row in the same transaction as the write itself: a batch (upload, undo,
-- demo), a target edit, a change of an account. Audit rows are never updated or deleted.
CREATE TABLE users (
    name          VARCHAR PRIMARY KEY,
    role          VARCHAR NOT NULL CHECK (role IN ('viewer', 'staff', 'admin')),
    password_hash VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- The cities a staff account may write (none for viewers; administrators may write every city).
CREATE TABLE user_cities (
    name VARCHAR NOT NULL,
    city VARCHAR NOT NULL,
    PRIMARY KEY (name, city)
);

-- A target as edited by an administrator: the catalog row stays the source, these fields replace it.
-- Kept apart from `targets` so that reloading a changed catalog applies the edits again.
CREATE TABLE target_edits (
    target_id       VARCHAR PRIMARY KEY,
    value           DOUBLE PRECISION NOT NULL,
    value_canonical DOUBLE PRECISION NOT NULL,
    deadline        DATE NOT NULL,
    responsible     VARCHAR[] NOT NULL,
    cooperating     VARCHAR[] NOT NULL,
    edited_by       VARCHAR NOT NULL,
    edited_at       TIMESTAMP NOT NULL,
    reason          VARCHAR NOT NULL
);

CREATE SEQUENCE audit_ids START 1;
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY DEFAULT nextval('audit_ids'),
    written_at TIMESTAMP NOT NULL,
    actor    VARCHAR NOT NULL,
    action   VARCHAR NOT NULL CHECK (action IN (
                 'upload', 'undo', 'demo', 'target_edit', 'user_add', 'user_passwd', 'user_remove')),
    batch_id INTEGER,
    subject  VARCHAR,
    detail   VARCHAR  -- JSON: what changed
);

-- The batches written before this migration are writes too: each gets its audit row.
INSERT INTO audit_log (written_at, actor, action, batch_id, subject, detail)
SELECT created_at, actor, kind, id, file_name, json_build_object('note', note)::VARCHAR FROM batches ORDER BY id;
