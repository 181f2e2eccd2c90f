-- PostgreSQL's 0001_initial.sql (the view without QUALIFY). The catalog (replaced as a whole by `indicators init` when data/ changes) and the measurements.
CREATE TABLE cities (
    code        VARCHAR PRIMARY KEY,
    name_zh     VARCHAR NOT NULL UNIQUE,
    name_en     VARCHAR NOT NULL,
    province_zh VARCHAR NOT NULL,
    province_en VARCHAR NOT NULL,
    parent_zh   VARCHAR,
    parent_en   VARCHAR,
    level       VARCHAR NOT NULL
);

CREATE TABLE indicators (
    code        VARCHAR PRIMARY KEY,
    name_zh     VARCHAR NOT NULL,
    name_en     VARCHAR NOT NULL,
    domain      VARCHAR NOT NULL,
    unit        VARCHAR NOT NULL,
    polarity    VARCHAR NOT NULL CHECK (polarity IN ('higher', 'lower')),
    aggregation VARCHAR NOT NULL,
    valid_min   DOUBLE PRECISION NOT NULL,
    valid_max   DOUBLE PRECISION NOT NULL
);

CREATE TABLE indicator_aliases (
    alias     VARCHAR PRIMARY KEY,
    indicator VARCHAR NOT NULL
);

CREATE TABLE plans (
    source_file   VARCHAR NOT NULL,
    city          VARCHAR NOT NULL,
    title_zh      VARCHAR NOT NULL,
    title_en      VARCHAR NOT NULL,
    document_date DATE,
    first_year    INTEGER NOT NULL,
    last_year     INTEGER NOT NULL,
    PRIMARY KEY (source_file, title_zh)
);

CREATE TABLE targets (
    id              VARCHAR PRIMARY KEY,
    city            VARCHAR NOT NULL,
    indicator       VARCHAR NOT NULL,
    comparator      VARCHAR NOT NULL,
    value           DOUBLE PRECISION NOT NULL,
    unit            VARCHAR NOT NULL,
    value_canonical DOUBLE PRECISION NOT NULL,
    deadline        DATE NOT NULL,
    deadline_text   VARCHAR NOT NULL,
    stage           VARCHAR NOT NULL,
    baseline_year   INTEGER,
    baseline_value  DOUBLE PRECISION,
    source_file     VARCHAR NOT NULL,
    plan_title_zh   VARCHAR NOT NULL,
    quote           VARCHAR NOT NULL,
    responsible     VARCHAR[] NOT NULL,
    cooperating     VARCHAR[] NOT NULL,
    note            VARCHAR
);

-- Which catalog content is loaded (a hash of data/), so `init` twice changes nothing.
CREATE TABLE catalog_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    content_sha VARCHAR NOT NULL,
    loaded_at   TIMESTAMP NOT NULL
);

-- Every write of measurements is a batch: the demo generator, an upload, an undo.
CREATE SEQUENCE batch_ids START 1;
CREATE TABLE batches (
    id           INTEGER PRIMARY KEY DEFAULT nextval('batch_ids'),
    kind         VARCHAR NOT NULL CHECK (kind IN ('demo', 'upload', 'undo')),
    file_name    VARCHAR,
    content_sha  VARCHAR,
    actor        VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    note         VARCHAR
);

-- Values are never overwritten in place: each write adds a revision; the current value of
-- (city, indicator, period) is its newest revision. period is the first day of the month.
CREATE TABLE measurements (
    city           VARCHAR NOT NULL,
    indicator      VARCHAR NOT NULL,
    period         DATE NOT NULL,
    revision       INTEGER NOT NULL,
    value          DOUBLE PRECISION,
    original_value DOUBLE PRECISION,
    original_unit  VARCHAR,
    note           VARCHAR,
    is_demo        BOOLEAN NOT NULL,
    batch_id       INTEGER NOT NULL,
    PRIMARY KEY (city, indicator, period, revision)
);

CREATE VIEW current_measurements AS
SELECT city, indicator, period, value, original_value, original_unit, note, is_demo, batch_id, revision
FROM (SELECT *, row_number() OVER (PARTITION BY city, indicator, period ORDER BY revision DESC) AS newest
      FROM measurements) m
WHERE newest = 1;
