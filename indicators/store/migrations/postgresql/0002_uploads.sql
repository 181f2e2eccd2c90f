-- PostgreSQL's 0002_uploads.sql (the view without QUALIFY).
-- Uploads: city aliases for name resolution, and undo.
--
-- An undo never deletes or rewrites a revision: it records that a batch is undone (by a batch of kind
-- 'undo'), and the current value of (city, indicator, period) becomes the newest revision among the
-- batches that are not undone. Undoing the newest batch therefore restores exactly the state before it.
CREATE TABLE city_aliases (
    alias VARCHAR PRIMARY KEY,
    city  VARCHAR NOT NULL
);

CREATE TABLE batch_undos (
    batch_id      INTEGER PRIMARY KEY,
    undo_batch_id INTEGER NOT NULL UNIQUE
);

CREATE OR REPLACE VIEW current_measurements AS
SELECT city, indicator, period, value, original_value, original_unit, note, is_demo, batch_id, revision
FROM (SELECT *, row_number() OVER (PARTITION BY city, indicator, period ORDER BY revision DESC) AS newest
      FROM measurements WHERE batch_id NOT IN (SELECT batch_id FROM batch_undos)) m
WHERE newest = 1;
