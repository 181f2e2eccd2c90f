-- Issue 15, items 2-3: a reviewer's decisions on the candidates of an imported plan, the targets a
-- published plan added, and the cities and indicators an administrator added. The catalog tables are
-- replaced as a whole when data/ changes (0001); these rows are kept apart and put back after each reload,
-- so what was added survives. Each row keeps its item as JSON, the fields the catalog's YAML has.

-- Every decision is a row (the history); the newest row of a (plan, candidate) is the one in force.
CREATE SEQUENCE plan_review_ids START 1;
CREATE TABLE plan_reviews (
    id          INTEGER PRIMARY KEY DEFAULT nextval('plan_review_ids'),
    plan_id     INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    review      VARCHAR NOT NULL,   -- pending | accepted | rejected
    fields      VARCHAR NOT NULL,   -- JSON: the candidate as reviewed (edits applied, indicator mapped)
    reviewed_by VARCHAR NOT NULL,
    reviewed_at TIMESTAMP NOT NULL
);

CREATE TABLE plan_publications (
    plan_id      INTEGER PRIMARY KEY,
    plan         VARCHAR NOT NULL,  -- JSON: the plans row (source_file, city, title_zh, …)
    published_by VARCHAR NOT NULL,
    published_at TIMESTAMP NOT NULL
);

-- One row per target a publication added, with its provenance: plan, candidate, offsets of the clause.
CREATE TABLE published_targets (
    id        VARCHAR PRIMARY KEY,
    plan_id   INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    quote_start INTEGER,
    quote_end   INTEGER,
    target    VARCHAR NOT NULL      -- JSON: the targets row
);

CREATE TABLE added_cities (
    code     VARCHAR PRIMARY KEY,
    city     VARCHAR NOT NULL,      -- JSON: the fields of data/cities.yaml
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMP NOT NULL
);

CREATE TABLE added_indicators (
    code      VARCHAR PRIMARY KEY,
    indicator VARCHAR NOT NULL,     -- JSON: the fields of data/indicators/*.yaml
    added_by  VARCHAR NOT NULL,
    added_at  TIMESTAMP NOT NULL
);
