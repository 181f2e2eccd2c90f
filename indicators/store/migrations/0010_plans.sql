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
-- The plan actions (plan_import, …) need no change of audit_log: 0011 removes its CHECK of actions.
