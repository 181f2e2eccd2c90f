"""Owners' notes (情况说明): a city's staff (and administrators) say why a target stands as it does, what is
being done, when it is expected back on schedule. Kept with their history, audited, refused for other cities.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from indicators import store
from indicators.accounts.actor import Actor, refusal
from indicators.errors import InvalidRequest, UnknownName
from indicators.store import db

MAX_LENGTH = 2000
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str | None) -> dt.date | None:
    """'2020-03' -> 2020-03-01; None or '' -> None; anything else refused (invalid_request)."""
    if not text:
        return None
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise InvalidRequest(f"月份应为 YYYY-MM：{text}", f"a month is written YYYY-MM: {text}")
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def add_note(path: Path | str, actor: Actor, target_id: str, text: str, month: dt.date | None = None) -> int:
    """Write a note on a target (for a month, or the target as a whole); an earlier note of the same target
    and month stays as history. Refused (not_permitted) for an actor who may not write the target's city,
    (unknown_name) for an unknown target, (invalid_request) for an empty or overlong text."""
    body = text.strip()
    if not body:
        raise InvalidRequest("情况说明不能为空", "a note needs a text")
    if len(body) > MAX_LENGTH:
        zh, en = f"情况说明不能超过 {MAX_LENGTH} 字", f"a note has at most {MAX_LENGTH} characters"
        raise InvalidRequest(zh, en)
    store.init(path)
    with db.connect(path) as con:
        row = store.target_row(con, target_id)
        if row is None:
            raise UnknownName(f"未知目标：{target_id}", f"unknown target: {target_id}")
        city = str(row["city"])
        if not actor.may_write(city):
            raise refusal(actor, f"为{city}的目标写情况说明", f"write notes on targets of {city}")
        return store.insert_note(con, actor.name, target_id, city, month, body)


def notes(
    path: Path | str, city: str | None = None, target_id: str | None = None, history: bool = False
) -> pd.DataFrame:
    """The notes in force (every version with `history`), newest first: id, target_id, city, month, text,
    written_by, written_at, version, versions, current. city: a code, name or alias."""
    with db.connect(path, read_only=True) as con:
        code = store.resolve_city(con, city) if city else None
        return store.notes_frame(con, code, target_id, history)


def latest(path: Path | str, city: str | None = None) -> pd.DataFrame:
    """Per target, the newest note in force: target_id, note_id, note, note_month, note_by, note_at."""
    with db.connect(path, read_only=True) as con:
        return store.latest_notes(con, city)


def attach(evaluated: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """The evaluated rows with the note in force on each target (column note; missing: none), in their order.
    found: latest()'s frame."""
    wanted = found[["target_id", "note"]].drop_duplicates("target_id")
    out = evaluated.drop(columns="note", errors="ignore").merge(wanted, on="target_id", how="left")
    out.index = evaluated.index
    return out


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-ready rows of `indicators note list --format json`."""
    out = []
    for r in frame.itertuples(index=False):
        out.append(
            {
                "id": int(r.id),
                "target_id": r.target_id,
                "city_code": r.city,
                "month": None if pd.isna(r.month) else pd.Timestamp(r.month).strftime("%Y-%m"),
                "text": r.text,
                "written_by": r.written_by,
                "written_at": pd.Timestamp(r.written_at).isoformat(timespec="seconds"),
                "version": int(r.version),
                "versions": int(r.versions),
                "current": bool(r.current),
            }
        )
    return out
