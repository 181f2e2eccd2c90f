"""One commitment, shown once: plans restate the same target (灵武市's two plans repeat several), and a
restated target is one target on every page and in every export, with every clause kept.

Two targets are the same commitment when they share city, indicator, comparator, value (in the indicator's
unit), deadline and stated baseline year (a reduction by 5 % from 2013 is not one from 2015). The first
mention in catalog order stands for the commitment; the others are kept in its `restated` cell (each
mention's id, plan, file, clause and units), and its responsible and cooperating units are the union of
all mentions'. Targets restated by nobody have `restated` None."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

KEY = ["city", "indicator", "comparator", "value_canonical", "deadline", "baseline_year"]
MENTION_FIELDS = ["id", "source_file", "plan_title_zh", "quote", "responsible", "cooperating"]


def _union(lists: list[list[str]], exclude: set[str] | None = None) -> list[str]:
    seen: list[str] = []
    for items in lists:
        for item in items:
            if item not in seen and item not in (exclude or set()):
                seen.append(item)
    return seen


def merge_restated(frame: pd.DataFrame) -> pd.DataFrame:
    """The targets with each restated commitment once (see the module's doc), in the frame's order."""
    out = frame.assign(restated=None)
    if out.empty or not set(KEY) <= set(out.columns):
        return out
    repeated = out.duplicated(KEY, keep=False)
    if not repeated.any():
        return out
    drop: list[object] = []
    cells = {name: out[name].to_numpy(dtype=object, copy=True) for name in ("responsible", "cooperating")}
    others_of = out["restated"].to_numpy(dtype=object, copy=True)
    for _, group in out[repeated].groupby(KEY, sort=False, dropna=False):
        first, others = out.index.get_loc(group.index[0]), group.index[1:]
        mentions = group[MENTION_FIELDS].to_dict("records")
        for m in mentions:
            m["responsible"], m["cooperating"] = list(m["responsible"]), list(m["cooperating"])
        responsible = _union([m["responsible"] for m in mentions])
        merged = {"responsible": responsible}
        merged["cooperating"] = _union([m["cooperating"] for m in mentions], set(responsible))
        for name, units in merged.items():  # a numpy object array per cell, as the store's list cells
            cell = np.empty(1, dtype=object)
            cell[0] = np.array(units, dtype=object)
            cells[name][first : first + 1] = cell
        holder = np.empty(1, dtype=object)
        holder[0] = mentions[1:]
        others_of[first : first + 1] = holder
        drop.extend(others)
    out = out.assign(restated=others_of, **cells)
    return out.drop(index=drop).reset_index(drop=True)


def restated(row: Any) -> list[dict[str, Any]]:
    """The other mentions of a target row's commitment (none for a commitment stated once)."""
    others = getattr(row, "restated", None)
    return others if isinstance(others, list) else []


def clauses(row: Any) -> list[tuple[str, str]]:
    """Every clause of a target row (its own first), each with its plan's Chinese title."""
    own = [(str(row.quote), str(row.plan_title_zh))]
    return own + [(str(m["quote"]), str(m["plan_title_zh"])) for m in restated(row)]
