"""An administrator's edit of one target: its value, deadline and responsible units, with a reason.

The catalog (data/targets/*.yaml, with the clause each target came from) stays the source; an edit replaces
those fields in the database, survives a reload of the catalog, and is audited with the old and new values.
Only administrators may edit (NotPermitted otherwise), whatever the page shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indicators import store
from indicators.accounts.actor import Actor
from indicators.catalog import load as cat
from indicators.errors import EditRefused
from indicators.store import db


@dataclass(frozen=True)
class Edit:
    target_id: str
    changes: dict[str, tuple[object, object]]  # field -> (before, after)


def _names(items: list[str] | tuple[str, ...]) -> list[str]:
    return [s.strip() for s in items if s and s.strip()]


def edit_target(
    path: Path | str,
    actor: Actor,
    target_id: str,
    reason: str,
    value: float | None = None,
    deadline: dt.date | None = None,
    responsible: list[str] | None = None,
    cooperating: list[str] | None = None,
) -> Edit:
    """Change the given fields of one target (the others stay); refused for non-administrators, an unknown
    target, an empty reason, or a value outside the indicator's valid range."""
    actor.require_admin("修改目标", "edit targets")
    reason = reason.strip()
    if not reason:
        raise EditRefused("请写明修改原因", "give the reason for the edit")
    with db.connect(path) as con:
        row = store.target_row(con, target_id)
        if row is None:
            raise EditRefused(f"没有目标 {target_id}", f"no target {target_id}")
        before = {
            "value": float(row["value"]),
            "value_canonical": float(row["value_canonical"]),
            "deadline": pd.Timestamp(row["deadline"]).date(),
            "responsible": list(row["responsible"]),
            "cooperating": list(row["cooperating"]),
        }
        after = dict(before)
        if value is not None:
            ind = cat.Indicator(**store.indicator_row(con, str(row["indicator"])))  # type: ignore[arg-type]
            after["value"], after["value_canonical"] = float(value), _canonical(ind, row, float(value))
        if deadline is not None:
            after["deadline"] = deadline
        if responsible is not None:
            after["responsible"] = _names(responsible)
        if cooperating is not None:
            after["cooperating"] = _names(cooperating)
        changes = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        if changes:
            store.edit_target(con, actor.name, target_id, after, reason, before)
    return Edit(target_id, changes)


def _canonical(ind: cat.Indicator, row: pd.Series, value: float) -> float:
    """The value in the indicator's canonical unit, checked exactly as the catalog checks it on load."""
    out = cat.canonical_target_value(ind, str(row["comparator"]), value, str(row["unit"]))
    if isinstance(out, cat.ValueProblem):
        raise EditRefused(out.message_zh, out.message_en)
    return out


def edits(path: Path | str) -> pd.DataFrame:
    """Every edited target: target_id, the new fields, edited_by, edited_at, reason."""
    with db.connect(path, read_only=True) as con:
        return store.target_edits_frame(con)
