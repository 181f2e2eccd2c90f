-- National scale (issue 7): measurements without the primary-key index.
--
-- DuckDB kept the primary key (city, indicator, period, revision) as an ART index over every revision: with
-- 18 million values, loading it for the first write of a connection took 1.6 s (for one value), inserting a
-- million values 2 s more and writing it back at the checkpoint another 2 s, more than the rest of a
-- million-value upload together. No read uses it (reads scan by city and period).
--
-- What the key guarded stays guarded: store.py gives each value it writes the revision one above the newest
-- of its key, computed inside the writing transaction, and lets one write transaction run at a time (a lock
-- in the process; DuckDB lets only one process open the file for writing). The table is otherwise the same,
-- its rows in the same order.
CREATE TABLE measurements_unindexed (
    city           VARCHAR NOT NULL,
    indicator      VARCHAR NOT NULL,
    period         DATE NOT NULL,
    revision       INTEGER NOT NULL,
    value          DOUBLE,
    original_value DOUBLE,
    original_unit  VARCHAR,
    note           VARCHAR,
    is_demo        BOOLEAN NOT NULL,
    batch_id       INTEGER NOT NULL
);
INSERT INTO measurements_unindexed SELECT * FROM measurements;
DROP TABLE measurements;
ALTER TABLE measurements_unindexed RENAME TO measurements;
