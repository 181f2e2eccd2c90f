"""Counts sent as running totals (口径 累计, issue 12): each becomes this month's increment, so that a running
total counts once (50, 100, 150 sent as 累计 count 150, not 300).

The increment of a running total for month m is the total minus everything counted before m: the stored
increments of the months before m (the file's own values for the months it holds) and the file's earlier
increments. A running total below what was counted before is rejected (`cumulative_decrease`). The value
as written (the running total) stays in original_value."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from indicators.ingest import errors as ue
from indicators.ingest.validate import Report


def running_totals(report: Report) -> pd.DataFrame:
    """The (city, indicator) series of the report that hold a running total (empty: nothing to do)."""
    accepted = report.accepted
    if "basis" not in accepted or not (accepted["basis"] == "cumulative").any():
        return pd.DataFrame(columns=["city", "indicator"])
    return accepted.loc[accepted["basis"] == "cumulative", ["city", "indicator"]].drop_duplicates()


def to_increments(report: Report, stored: pd.DataFrame) -> Report:
    """The report with each running total replaced by its increment (stored: the current values of the
    series concerned, as store.series_values gives them)."""
    accepted = report.accepted.reset_index(drop=True)
    value = accepted["value"].to_numpy(dtype=float).copy()
    bad = np.zeros(len(accepted), dtype=bool)
    errors = list(report.errors)
    month = pd.to_datetime(accepted["period"]).dt.to_period("M")
    stored_month = pd.to_datetime(stored["period"]).dt.to_period("M") if len(stored) else stored["period"]
    concerned = running_totals(report).itertuples(index=False)
    for city, indicator in concerned:
        mine = np.flatnonzero(((accepted["city"] == city) & (accepted["indicator"] == indicator)).to_numpy())
        counted: dict[pd.Period, float] = {}
        held = (stored["city"] == city) & (stored["indicator"] == indicator) if len(stored) else []
        if len(stored):
            counted = dict(zip(stored_month[held], stored.loc[held, "value"], strict=True))
        for i in mine[np.argsort(month.iloc[mine].to_numpy(), kind="stable")]:
            m = month.iat[i]
            counted.pop(m, None)  # the file's value for this month replaces the stored one
            if accepted.at[i, "basis"] != "cumulative":
                counted[m] = value[i]
                continue
            before = float(sum(v for k, v in counted.items() if k < m))
            if value[i] < before - 1e-9:
                bad[i] = True
                column = str(accepted.at[i, "column"])
                errors.append(
                    ue.error(
                        "cumulative_decrease",
                        int(accepted.at[i, "row"]),
                        column,
                        value=_fmt(value[i]),
                        before=_fmt(before),
                    )  # fmt: skip
                )
                continue
            value[i] -= before
            counted[m] = value[i]
    if not bad.any() and np.array_equal(value, accepted["value"].to_numpy(dtype=float)):
        return report
    kept = accepted.assign(value=value)[~bad].reset_index(drop=True)
    return dataclasses.replace(
        report, accepted=kept, errors=errors, rejected=report.rejected + int(bad.sum())
    )


def _fmt(x: float) -> str:
    return f"{x:g}"
