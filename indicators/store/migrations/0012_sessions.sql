-- Browser sessions, failed sign-ins and the shared evaluation (issue 17).
--
-- A session is known only by the SHA-256 of its random token (the browser holds the token in an HttpOnly
-- cookie); a stolen copy of this table signs nobody in. It is bound to the account's name and creation time,
-- so that an account removed and created again under the same name is a different account: its old
-- sessions never come back (they are also deleted with the account and on a password change).
CREATE TABLE sessions (
    token_sha256       VARCHAR PRIMARY KEY,
    account            VARCHAR NOT NULL,
    account_created_at TIMESTAMP NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    last_seen          TIMESTAMP NOT NULL
);

-- Failed sign-ins per account name as typed (case-folded), whether or not the account exists: the limit
-- holds across server processes and restarts. Rows older than the window are deleted on the next failure.
CREATE TABLE sign_in_failures (
    name      VARCHAR NOT NULL,
    failed_at TIMESTAMP NOT NULL
);

-- The evaluation of every target (each city as of its latest month), computed once per data version
-- (status/snapshot.py) and kept as Arrow IPC (Feather), so that every server process serves it without evaluating.
CREATE TABLE evaluations (
    data_version VARCHAR PRIMARY KEY,
    computed_at  TIMESTAMP NOT NULL,
    frame        BLOB NOT NULL
);
