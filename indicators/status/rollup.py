"""Roll-ups of evaluated targets: per city, per domain, per responsible department. Pure pandas.

Counts per status, the worst status among targets with data (no data only when nothing has data), and the
share met or on schedule among targets with data. Colours are never averaged.
"""

from __future__ import annotations

import pandas as pd

from indicators.vocabulary import BEHIND, SEVERITY, STATUSES

# worst first; "no_data" is not a grade, it is counted apart


def rollup(evaluated: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """One row per group: n, a count column per status, worst, share_good (among targets with data; NaN
    when nothing has data) and share_good_all (among all targets: what a page shows as the share)."""
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
    good = counts["met"] + counts["on_schedule"]
    counts["share_good"] = good / with_data.where(with_data > 0)
    # over every target: a target that loses its data counts against the share, never for it
    counts["share_good_all"] = good / counts["n"].where(counts["n"] > 0)
    worst = pd.Series("no_data", index=counts.index)
    for status in sorted(SEVERITY, key=SEVERITY.__getitem__):  # least severe first, so the worst present wins
        worst = worst.where(counts[status] == 0, status)
    counts["worst"] = worst
    return counts.reset_index()


def is_department(name: str) -> bool:
    """A unit one can hold to account: "各乡镇", "各有关单位" (every town, every unit concerned) address
    many at once and are not departments of their own."""
    return bool(name) and not name.startswith("各")


def by_department(evaluated: pd.DataFrame) -> pd.DataFrame:
    """Rows per (department, role) with role 'lead' (责任单位) or 'cooperating' (配合单位)."""
    parts = []
    for column, role in (("responsible", "lead"), ("cooperating", "cooperating")):
        exploded = evaluated.assign(department=evaluated[column].map(list)).explode("department")
        named = exploded["department"].map(lambda d: isinstance(d, str) and is_department(d))
        parts.append(exploded[named].assign(role=role))
    return rollup(pd.concat(parts, ignore_index=True), ["department", "role"])


def worst_first(rolled: pd.DataFrame) -> pd.DataFrame:
    """Groups of `rollup` ordered by need of attention: the worst status first (no data last), then the
    most targets missed, off track or lagging, then the lowest share met or on schedule."""
    severity = rolled["worst"].map(SEVERITY).fillna(-1)
    behind = rolled["missed"] + rolled["off_track"] + rolled["lagging"]
    order = pd.DataFrame({"s": -severity, "b": -behind, "g": rolled["share_good"].fillna(2.0)})
    return rolled.loc[order.sort_values(["s", "b", "g"], kind="stable").index]


def worst_items(evaluated: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The n targets most behind (missed, off track, lagging): the most severe first, then the lowest
    progress ratio; an indicator once (its worst target)."""
    behind = evaluated[evaluated["status"].isin(BEHIND)]
    order = behind.assign(_sev=behind["status"].map(SEVERITY))
    order = order.sort_values(["_sev", "progress_ratio"], ascending=[False, True], kind="stable")
    if "indicator" in order:  # one indicator restated in two plans is one item to attend to
        order = order.drop_duplicates("indicator")
    return order.drop(columns="_sev").head(n)
