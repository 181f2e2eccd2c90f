-- PostgreSQL: measurements split by city into 16 hash partitions, without the primary-key index (issue 18).
--
-- The B-tree of the primary key (city, indicator, period, revision) cost more than the rest of a large upload:
-- measured at 6 million values, COPY of 600,000 new values took 1.2 s without it and 3.8 s with it (a
-- B-tree on city alone: 2.6 s). What it guarded stays guarded as in DuckDB since 0006: each value written
-- gets the revision one above the newest of its key, computed inside the writing transaction, and one
-- transaction writing measurements runs at a time (the transaction-level advisory lock of store/tx.py,
-- taken by every writer of this table before it reads the revisions it builds on).
--
-- What the index gave the reads of one city (the city page, a value's history, the comparison of an upload
-- with what is stored) the partitions give instead: a condition on the city reads one sixteenth of the
-- values. Two cheap indexes remain: a block-range (BRIN) index of the period, which lets a check for stored
-- values in an upload's months skip every block range outside them (a new month: all of them); and a
-- B-tree of only the values that are not their key's first revision (corrections) or came with valid days
-- (issue 12), which answers "was any value ever rewritten?" and "did any come with valid days?" without
-- reading the others (two such partial indexes cost twice the one: each is a test of every row written).
CREATE TABLE measurements_by_city (
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
    valid_days     INTEGER,
    good_days      INTEGER
) PARTITION BY HASH (city);
CREATE TABLE measurements_p00 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 0);
CREATE TABLE measurements_p01 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 1);
CREATE TABLE measurements_p02 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 2);
CREATE TABLE measurements_p03 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 3);
CREATE TABLE measurements_p04 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 4);
CREATE TABLE measurements_p05 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 5);
CREATE TABLE measurements_p06 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 6);
CREATE TABLE measurements_p07 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 7);
CREATE TABLE measurements_p08 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 8);
CREATE TABLE measurements_p09 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 9);
CREATE TABLE measurements_p10 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 10);
CREATE TABLE measurements_p11 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 11);
CREATE TABLE measurements_p12 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 12);
CREATE TABLE measurements_p13 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 13);
CREATE TABLE measurements_p14 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 14);
CREATE TABLE measurements_p15 PARTITION OF measurements_by_city FOR VALUES WITH (MODULUS 16, REMAINDER 15);

INSERT INTO measurements_by_city
SELECT city, indicator, period, revision, value, original_value, original_unit, note, is_demo, batch_id,
       valid_days, good_days
FROM measurements ORDER BY city, indicator, period, revision;

DROP VIEW current_measurements;
DROP TABLE measurements;
ALTER TABLE measurements_by_city RENAME TO measurements;
CREATE INDEX measurements_period ON measurements USING brin (period);
CREATE INDEX measurements_noted ON measurements (revision, valid_days)
    WHERE revision > 1 OR valid_days IS NOT NULL;

-- as in 0013_valid_days.sql, but for `n.revision > 1` (implied, as revisions start at 1), which lets the
-- search for a newer revision read measurements_noted
CREATE VIEW current_measurements AS
WITH undone AS (SELECT batch_id FROM batch_undos),
     rewritten AS (SELECT DISTINCT city FROM measurements WHERE revision > 1)
SELECT city, indicator, period, value, original_value, original_unit, note, is_demo, batch_id, revision,
       valid_days, good_days
FROM measurements
WHERE city NOT IN (SELECT city FROM rewritten) AND batch_id NOT IN (SELECT batch_id FROM undone)
UNION ALL
SELECT m.city, m.indicator, m.period, m.value, m.original_value, m.original_unit, m.note, m.is_demo,
       m.batch_id, m.revision, m.valid_days, m.good_days
FROM measurements m
WHERE m.city IN (SELECT city FROM rewritten) AND m.batch_id NOT IN (SELECT batch_id FROM undone)
  AND NOT EXISTS (
      SELECT 1 FROM measurements n
      WHERE n.revision > m.revision AND n.revision > 1 AND n.city = m.city AND n.indicator = m.indicator AND n.period = m.period
        AND n.batch_id NOT IN (SELECT batch_id FROM undone)
  );
ANALYZE measurements;
