-- Data sufficiency and day counts (issue 12): a monthly value may come with the month's valid monitoring
-- days (有效天数, any indicator) and, for a good-days share, the month's good days (优良天数): the value is
-- then 100 × good / valid, and the rolling share weights each month by its valid days, so that it is
-- Σ good / Σ valid over the window. Both are part of the revision: a new revision or an undo carries them.
-- Plain SQL (added at the end, NULL for every earlier value).
ALTER TABLE measurements ADD COLUMN valid_days INTEGER;
ALTER TABLE measurements ADD COLUMN good_days INTEGER;

CREATE OR REPLACE VIEW current_measurements AS
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
      WHERE n.revision > m.revision AND n.city = m.city AND n.indicator = m.indicator AND n.period = m.period
        AND n.batch_id NOT IN (SELECT batch_id FROM undone)
  );
