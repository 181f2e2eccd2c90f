-- PostgreSQL keeps the primary key (city, indicator, period, revision) of measurements.
--
-- DuckDB's 0006 drops it for speed (an ART index over every revision loaded on each write). In PostgreSQL
-- the B-tree costs little, and with several processes writing at once it is what makes a duplicated
-- revision impossible rather than merely avoided. Nothing to change.
SELECT 1;
