-- Imported plan documents (issue 15): the document as given (bytes, SHA-256), and the candidate targets the
-- extractor found in it, each kept as the extractor's JSON record with its review state.
CREATE SEQUENCE plan_document_ids START 1;

CREATE TABLE plan_documents (
    id            INTEGER PRIMARY KEY DEFAULT nextval('plan_document_ids'),
    city          VARCHAR NOT NULL,
    title         VARCHAR NOT NULL,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL UNIQUE,
    content       BLOB NOT NULL,
    document_date DATE,
    status        VARCHAR NOT NULL DEFAULT 'draft',  -- draft | published
    imported_by   VARCHAR NOT NULL,
    imported_at   TIMESTAMP NOT NULL
);

CREATE TABLE plan_candidates (
    plan_id   INTEGER NOT NULL,
    n         INTEGER NOT NULL,                   -- 1, 2, … in document order
    review    VARCHAR NOT NULL DEFAULT 'pending', -- pending | accepted | rejected
    record    VARCHAR NOT NULL,                   -- the candidate as `plan extract` prints it (JSON)
    PRIMARY KEY (plan_id, n)
);

-- The audit log learns the plan actions (and the catalog additions of the same issue). DuckDB cannot
-- change a CHECK constraint in place: the table is rebuilt with the same rows, ids and sequence.
CREATE TABLE audit_log_v2 (
    id       INTEGER PRIMARY KEY DEFAULT nextval('audit_ids'),
    written_at TIMESTAMP NOT NULL,
    actor    VARCHAR NOT NULL,
    action   VARCHAR NOT NULL CHECK (action IN (
                 'upload', 'undo', 'demo', 'target_edit', 'user_add', 'user_passwd', 'user_remove',
                 'plan_import', 'plan_review', 'plan_publish', 'city_add', 'indicator_add')),
    batch_id INTEGER,
    subject  VARCHAR,
    detail   VARCHAR  -- JSON: what changed
);
INSERT INTO audit_log_v2 SELECT * FROM audit_log ORDER BY id;
DROP TABLE audit_log;
ALTER TABLE audit_log_v2 RENAME TO audit_log;
