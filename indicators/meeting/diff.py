"""What changed between two snapshots (or a snapshot and now): statuses, revised values, newly reported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indicators import store
from indicators.meeting import snapshots as snaps
from indicators.store import db
from indicators.vocabulary import STATUS, status_label

# a change into or out of "no data" is neither worse nor better: it is listed after both
WORSE, BETTER, OTHER = "worse", "better", "other"


@dataclass(frozen=True)
class Diff:
    before: snaps.Snapshot
    after: snaps.Snapshot
    status_changes: list[dict[str, object]]  # worse first (most severe after first), then better, then other
    revised: list[dict[str, object]]  # values revised between them: old -> new with the batches
    newly_reported: list[dict[str, object]]  # targets without a value before and with one after

    def as_json(self) -> dict[str, object]:
        return {
            "before": self.before.name,
            "after": self.after.name,
            "status_changes": self.status_changes,
            "revised_values": self.revised,
            "newly_reported": self.newly_reported,
        }


def direction(before: str | None, after: str) -> str:
    if before is None or before == "no_data" or after == "no_data":
        return OTHER
    return WORSE if STATUS[after].severity > STATUS[before].severity else BETTER


def _severity(change: dict[str, object]) -> int:
    return STATUS[str(change["status_after"])].severity


def compare(before: snaps.Snapshot, after: snaps.Snapshot, revised: pd.DataFrame) -> Diff:
    """The diff of two snapshots' rows, with the revised values between their data (store.revised_values)."""
    old = {str(r["target_id"]): r for r in before.records}
    changes, reported = [], []
    for r in after.records:
        was = old.get(str(r["target_id"]))
        status_before = None if was is None else str(was["status"])
        if status_before != r["status"]:
            changes.append(
                {
                    "target_id": r["target_id"],
                    "city": r["city"],
                    "city_en": r["city_en"],
                    "city_code": r["city_code"],
                    "indicator": r["indicator"],
                    "indicator_name": r["indicator_name"],
                    "indicator_name_en": r["indicator_name_en"],
                    "status_before": status_before,
                    "status_after": r["status"],
                    "direction": direction(status_before, str(r["status"])),
                    "note": r.get("note"),
                }
            )
        if r["value"] is not None and (was is None or was["value"] is None):
            reported.append({k: r[k] for k in ("target_id", "city", "city_code", "indicator", "status")})
    rank = {WORSE: 0, BETTER: 1, OTHER: 2}
    changes.sort(key=lambda c: (rank[str(c["direction"])], -_severity(c), str(c["target_id"])))
    values = [
        {
            "city_code": v.city,
            "indicator": v.indicator,
            "period": pd.Timestamp(v.period).strftime("%Y-%m"),
            "old_value": None if pd.isna(v.old_value) else float(v.old_value),
            "new_value": None if pd.isna(v.new_value) else float(v.new_value),
            "old_batch_id": None if pd.isna(v.old_batch_id) else int(v.old_batch_id),
            "new_batch_id": None if pd.isna(v.new_batch_id) else int(v.new_batch_id),
        }
        for v in revised.itertuples(index=False)
    ]
    return Diff(before, after, changes, values, reported)


def diff(path: Path | str, before: str, after: str = snaps.NOW) -> Diff:
    """Snapshot `before` against snapshot `after`, or against the current data (after = 'now')."""
    old = snaps.show(path, before)
    new = snaps.current(path, explain=False) if after == snaps.NOW else snaps.show(path, after)
    with db.connect(path, read_only=True) as con:
        revised = store.revised_values(
            con, old.basis.max_batch_id, new.basis.max_batch_id, latest=after == snaps.NOW
        )
    return compare(old, new, revised)


def change_line(change: dict[str, object], lang: str = "zh") -> str:
    """'↓ 灵武市 细颗粒物：滞后 → 严重滞后' — an arrow down for worse, up for better, → otherwise."""
    arrow = {WORSE: "↓", BETTER: "↑", OTHER: "→"}[str(change["direction"])]
    before = change["status_before"]
    was = status_label(str(before), lang) if before else ("新目标" if lang == "zh" else "new target")
    now = status_label(str(change["status_after"]), lang)
    if lang == "zh":
        return f"{arrow} {change['city']} {change['indicator_name']}：{was} → {now}"
    return f"{arrow} {change['city_en']} {change['indicator_name_en']}: {was} → {now}"


def change_cell(change: dict[str, object], lang: str = "zh") -> str:
    """A scorecard row's change since the last snapshot: '↓ 原为滞后' / '↓ was lagging' (arrows as in
    change_line)."""
    arrow = {WORSE: "↓", BETTER: "↑", OTHER: "→"}[str(change["direction"])]
    before = change["status_before"]
    if not before:
        return "新目标" if lang == "zh" else "new target"
    was = status_label(str(before), lang)
    return f"{arrow} 原为{was}" if lang == "zh" else f"{arrow} was {was}"
