-- Meeting memory (issue 16): owners' notes (情况说明) and frozen snapshots (会议快照).
--
-- Notes are never updated or deleted: an edit is a new row, the newest row of a (target, month) is the one
-- in force, the older ones are its history. A note with month NULL is about the target as a whole.
CREATE SEQUENCE note_ids START 1;
CREATE TABLE notes (
    id         INTEGER PRIMARY KEY DEFAULT nextval('note_ids'),
    target_id  VARCHAR NOT NULL,
    city       VARCHAR NOT NULL,   -- the target's city when written: what the writer's permission was for
    month      DATE,               -- first day of the month the note is about; NULL: the target as a whole
    text       VARCHAR NOT NULL,
    written_by VARCHAR NOT NULL,
    written_at TIMESTAMP NOT NULL
);

-- A snapshot is written once, in one transaction, and never changed: the evaluated rows as the command
-- line's `status --format json` gives them (both languages' sentences, the note in force then), and what
-- they were computed from. max_batch_id names the data: batches are numbered in order and an undo is a
-- batch of its own, so the values current at the snapshot are those of the batches up to max_batch_id not
-- undone by an undo up to it.
CREATE SEQUENCE snapshot_ids START 1;
CREATE TABLE snapshots (
    id             INTEGER PRIMARY KEY DEFAULT nextval('snapshot_ids'),
    name           VARCHAR NOT NULL UNIQUE,
    as_of          DATE,           -- as asked; NULL: each city as of its own latest month
    city_as_of     VARCHAR NOT NULL, -- JSON {city code: YYYY-MM-DD}: the as-of date of each city's rows
    created_by     VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    max_batch_id   INTEGER,        -- the newest batch then (NULL: no values at all)
    values_count   BIGINT NOT NULL, -- current values then
    values_hash    VARCHAR NOT NULL, -- a fingerprint of those values (bit_xor of their hashes)
    catalog_sha    VARCHAR         -- the catalog loaded then
);
CREATE TABLE snapshot_rows (
    snapshot_id INTEGER NOT NULL,
    position    INTEGER NOT NULL,  -- the order of the rows as shown
    target_id   VARCHAR NOT NULL,
    city        VARCHAR NOT NULL,  -- city code
    status      VARCHAR NOT NULL,
    record      VARCHAR NOT NULL,  -- JSON: the row
    PRIMARY KEY (snapshot_id, target_id)
);

-- The audit log takes two more actions (note, snapshot). DuckDB cannot drop a CHECK constraint, so the
-- table is copied without it (keeping every row, its id sequence, key and NOT NULLs); the actions are the
-- ones accounts/audit.py names, so that migrations of other features need not rebuild the table again.
CREATE TABLE audit_log_copy AS SELECT * FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_copy RENAME TO audit_log;
ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT nextval('audit_ids');
ALTER TABLE audit_log ADD PRIMARY KEY (id);
ALTER TABLE audit_log ALTER COLUMN written_at SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN actor SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN action SET NOT NULL;
