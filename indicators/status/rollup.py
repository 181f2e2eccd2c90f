"""Roll-ups of evaluated targets: per city, per domain, per responsible department. Pure pandas.

Counts per status, the worst status among targets with data (no data only when nothing has data), and the
share met or on schedule among targets with data. Colours are never averaged.
"""

from __future__ import annotations

import pandas as pd

from indicators.vocabulary import SEVERITY, STATUSES

# worst first; "no_data" is not a grade, it is counted apart


def rollup(evaluated: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """One row per group: n, a count column per status, worst, share_good (NaN when nothing has data)."""
    counts = (
        evaluated.groupby([*by, "status"])
        .size()
        .unstack("status", fill_value=0)
        .reindex(columns=list(STATUSES), fill_value=0)
    )
    counts.columns.name = None
    with_data = counts.drop(columns="no_data").sum(axis=1)
    counts["n"] = counts[list(STATUSES)].sum(axis=1)
    counts["with_data"] = with_data
    counts["share_good"] = (counts["met"] + counts["on_schedule"]) / with_data.where(with_data > 0)
    worst = pd.Series("no_data", index=counts.index)
    for status in sorted(SEVERITY, key=SEVERITY.get):  # least severe first, so the worst present wins
        worst = worst.where(counts[status] == 0, status)
    counts["worst"] = worst
    return counts.reset_index()


def by_department(evaluated: pd.DataFrame) -> pd.DataFrame:
    """Rows per (department, role) with role 'lead' (责任单位) or 'cooperating' (配合单位)."""
    parts = []
    for column, role in (("responsible", "lead"), ("cooperating", "cooperating")):
        exploded = evaluated.assign(department=evaluated[column].map(list)).explode("department")
        parts.append(exploded.dropna(subset=["department"]).assign(role=role))
    return rollup(pd.concat(parts, ignore_index=True), ["department", "role"])


def worst_first(rolled: pd.DataFrame) -> pd.DataFrame:
    """Groups of `rollup` ordered by need of attention: the worst status first (no data last), then the
    most targets missed, off track or lagging, then the lowest share met or on schedule."""
    severity = rolled["worst"].map(SEVERITY).fillna(-1)
    behind = rolled["missed"] + rolled["off_track"] + rolled["lagging"]
    order = pd.DataFrame({"s": -severity, "b": -behind, "g": rolled["share_good"].fillna(2.0)})
    return rolled.loc[order.sort_values(["s", "b", "g"], kind="stable").index]
