"""Snapshots (会议快照): the whole evaluated scorecard frozen at a meeting, never changed afterwards.

A snapshot keeps every row as `indicators status --format json` gives it (both languages' sentences), the
note in force on each target then, and the data it was computed from (the newest batch, the values' count
and fingerprint, the catalog's hash). What is uploaded, revised or undone later changes nothing in it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from indicators import store
from indicators.accounts.actor import Actor
from indicators.catalog import rules
from indicators.errors import InvalidRequest
from indicators.status import service as status
from indicators.status.records import status_records
from indicators.store import db
from indicators.store.tx import WRITES

NOW = "now"  # what `snapshot diff A now` compares with: the current data
EXTRA_FIELDS = ("canonical_unit", "direction", "cooperating", "stage")
NOTE_FIELDS = ("note", "note_month", "note_by", "note_at")


@dataclass(frozen=True)
class Snapshot:
    name: str
    as_of: dt.date | None  # as asked (None: each city as of its latest month)
    city_as_of: dict[str, str]  # city code -> YYYY-MM-DD of its rows
    created_by: str
    created_at: dt.datetime | None  # None: not a stored snapshot (the current data)
    basis: store.Basis
    records: list[dict[str, object]]

    @property
    def frozen(self) -> bool:
        return self.created_at is not None


def evaluate_records(
    con: db.Connection, as_of: dt.date | None, explain: bool = True
) -> list[dict[str, object]]:
    """Every target evaluated on this connection (as status.status does) as snapshot records: the fields of
    `status --format json`, those the scorecard needs besides (unit code, direction, cooperating units,
    stage) and the note in force now. explain False: the sentences left empty (a diff reads none)."""
    targets = status.engine_targets(store.targets_frame(con), store.plans_frame(con))
    monthly = store.monthly_values(con)
    latest = store.latest_months(con) if as_of is None else None
    frame = status.evaluate_frames(targets, monthly, as_of, rules.load(), latest, explain=explain)
    if frame.empty:
        return []
    if not explain:
        frame = frame.assign(explanation_zh=None, explanation_en=None)
    records = status_records(frame)
    notes = store.latest_notes(con).set_index("target_id")
    for r, extra in zip(records, frame[list(EXTRA_FIELDS)].itertuples(index=False), strict=True):
        r["canonical_unit"], r["direction"] = extra.canonical_unit, float(extra.direction)
        r["cooperating"], r["stage"] = [str(c) for c in extra.cooperating], str(extra.stage)
        r.update(_note_fields(notes, str(r["target_id"])))
    return records


def _note_fields(notes: pd.DataFrame, target_id: str) -> dict[str, object]:
    if target_id not in notes.index:
        return dict.fromkeys(NOTE_FIELDS)
    n = notes.loc[target_id]
    return {
        "note": str(n["note"]),
        "note_month": None if pd.isna(n["note_month"]) else pd.Timestamp(n["note_month"]).strftime("%Y-%m"),
        "note_by": str(n["note_by"]),
        "note_at": pd.Timestamp(n["note_at"]).isoformat(timespec="seconds"),
    }


def city_as_of(records: list[dict[str, object]]) -> dict[str, str]:
    """Per city code, the as-of date of its rows."""
    return {str(r["city_code"]): str(r["as_of"]) for r in records}


def create(path: Path | str, actor: Actor, name: str, as_of: dt.date | None = None) -> Snapshot:
    """Evaluate every target and freeze the result under `name`. Administrators only (not_permitted);
    refused (snapshot_exists) for a name in use, (invalid_request) for an empty name or 'now'.

    The rows and the basis are read on the connection that writes them, with the process's write lock
    held: no upload of this process commits in between, and no other process can open the file."""
    actor.require_admin("建立会议快照", "take a meeting snapshot")
    label = name.strip()
    if not label or label == NOW:
        raise InvalidRequest(f"快照名称不可用：{name!r}", f"not a usable snapshot name: {name!r}")
    store.init(path)
    with db.connect(path) as con, WRITES:
        data = store.basis(con)
        records = evaluate_records(con, as_of)
        store.insert_snapshot(con, actor.name, label, as_of, city_as_of(records), data, records)
    return show(path, label)


def show(path: Path | str, name: str) -> Snapshot:
    """A stored snapshot exactly as written (unknown_snapshot when there is none of that name)."""
    with db.connect(path, read_only=True) as con:
        meta = store.snapshot_meta(con, name)
        records = store.snapshot_records(con, int(meta["id"]))  # type: ignore[call-overload]
    return Snapshot(
        str(meta["name"]),
        None if pd.isna(meta["as_of"]) else pd.Timestamp(meta["as_of"]).date(),  # type: ignore[arg-type]
        json.loads(str(meta["city_as_of"])),
        str(meta["created_by"]),
        pd.Timestamp(meta["created_at"]).to_pydatetime(),  # type: ignore[arg-type]
        store.Basis(
            None if pd.isna(meta["max_batch_id"]) else int(meta["max_batch_id"]),  # type: ignore[arg-type, call-overload]
            int(meta["values_count"]),  # type: ignore[call-overload]
            str(meta["values_hash"]),
            None if meta["catalog_sha"] is None else str(meta["catalog_sha"]),
        ),
        records,
    )


def current(path: Path | str, as_of: dt.date | None = None, explain: bool = True) -> Snapshot:
    """The current data as a snapshot that is not stored (what `diff A now` compares with)."""
    with db.connect(path, read_only=True) as con:
        data = store.basis(con, fingerprint=False)  # a comparison with now reads only its batch
        records = evaluate_records(con, as_of, explain)
    return Snapshot(NOW, as_of, city_as_of(records), "", None, data, records)


def listing(path: Path | str) -> pd.DataFrame:
    """Every snapshot, oldest first: id, name, as_of, city_as_of, created_by, created_at, max_batch_id,
    values_count, values_hash, catalog_sha, rows."""
    store.init(path)
    with db.connect(path, read_only=True) as con:
        return store.snapshots_frame(con)


def names(path: Path | str) -> list[str]:
    """Every snapshot's name, oldest first, read from a store that is ready (the app prepared it at start:
    `listing` prepares it again, reading the whole catalog, which takes seconds)."""
    with db.connect(path, read_only=True) as con:
        return store.snapshot_names(con)


def list_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-ready rows of `indicators snapshot list --format json`."""
    out = []
    for r in frame.itertuples(index=False):
        out.append(
            {
                "name": r.name,
                "as_of": None if pd.isna(r.as_of) else pd.Timestamp(r.as_of).strftime("%Y-%m-%d"),
                "city_as_of": json.loads(r.city_as_of),
                "created_by": r.created_by,
                "created_at": pd.Timestamp(r.created_at).isoformat(timespec="seconds"),
                "max_batch_id": None if pd.isna(r.max_batch_id) else int(r.max_batch_id),
                "values_count": int(r.values_count),
                "values_hash": r.values_hash,
                "rows": int(r.rows),
            }
        )
    return out


def previous(path: Path | str, name: str) -> str | None:
    """The name of the snapshot taken before `name` (None: it is the first)."""
    frame = listing(path)
    ids = frame.loc[frame["name"] == name, "id"]
    earlier = frame[frame["id"] < ids.iloc[0]] if len(ids) else frame
    return None if earlier.empty else str(earlier.iloc[-1]["name"])


def latest_name(path: Path | str) -> str | None:
    frame = listing(path)
    return None if frame.empty else str(frame.iloc[-1]["name"])


def frame(snapshot: Snapshot) -> pd.DataFrame:
    """The snapshot's rows as an evaluated frame that reporting.scorecard reads (names, numbers, status,
    responsible units, both sentences, the note)."""
    rows = pd.DataFrame(snapshot.records)
    if rows.empty:
        return rows
    out = rows.rename(
        columns={
            "city": "city_zh",
            "indicator_name": "indicator_zh",
            "indicator_name_en": "indicator_en",
            "unit": "unit_label",
        }
    ).rename(columns={"city_code": "city"})
    for column in ("as_of", "deadline"):
        out[column] = pd.to_datetime(out[column])
    for column in ("value", "target_level", "expected", "direction", "required_average", "progress_ratio"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    out["responsible"] = out["responsible"].map(lambda r: np.array(r or [], dtype=object))
    out["cooperating"] = out["cooperating"].map(lambda r: np.array(r or [], dtype=object))
    return out
