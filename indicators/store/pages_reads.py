"""Reads the pages show beside the statuses: what each city reported per indicator, what a batch holds."""

from __future__ import annotations

import pandas as pd

from indicators.store.db import Connection


def reported_by_indicator(con: Connection) -> pd.DataFrame:
    """Per city and indicator that has a target there: the latest month with a current value (NaT: none)."""
    return con.execute(
        """
        WITH expected AS (SELECT DISTINCT city, indicator FROM targets),
        latest AS (
            SELECT city, indicator, max(period) AS period FROM current_measurements
            WHERE value IS NOT NULL GROUP BY city, indicator
        )
        SELECT e.city, e.indicator, l.period
        FROM expected e LEFT JOIN latest l USING (city, indicator)
        ORDER BY e.city, e.indicator
        """
    ).df()


def batch_values(con: Connection, batch_id: int) -> pd.DataFrame:
    """Every value a batch wrote, with the value it replaced (the previous revision of the same month)."""
    return con.execute(
        """
        SELECT m.city, m.indicator, m.period, m.value, m.original_value, m.original_unit,
               p.value AS previous_value
        FROM measurements m
        LEFT JOIN measurements p
          ON p.city = m.city AND p.indicator = m.indicator AND p.period = m.period
         AND p.revision = m.revision - 1
        WHERE m.batch_id = ?
        ORDER BY m.city, m.indicator, m.period
        """,
        [batch_id],
    ).df()
