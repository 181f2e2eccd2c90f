"""Owners' notes (情况说明): appended, never updated; the newest of a (target, month) is in force."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from indicators.store.accounts import audit
from indicators.store.db import Connection
from indicators.store.tx import transaction

_COLUMNS = "n.id, n.target_id, n.city, n.month, n.text, n.written_by, n.written_at"


def insert_note(
    con: Connection,
    by: str,
    target_id: str,
    city: str,
    month: dt.date | None,
    text: str,
) -> int:
    """Append a note (a new version when the target and month have one already) and its audit row, in one
    transaction; returns its id."""
    with transaction(con):
        row = con.execute(
            "INSERT INTO notes (target_id, city, month, text, written_by, written_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [target_id, city, month, text, by, dt.datetime.now()],
        ).fetchone()
        assert row is not None
        note_id = int(row[0])
        month_text = month.isoformat()[:7] if month else None
        detail = {"note_id": note_id, "month": month_text, "text": text}
        audit(con, by, "note", subject=target_id, detail=detail)
    return note_id


def notes_frame(
    con: Connection,
    city: str | None = None,
    target_id: str | None = None,
    history: bool = False,
    before: dt.datetime | None = None,
) -> pd.DataFrame:
    """Notes (of a city, of a target), newest first; only those in force unless `history`. `version` counts
    the versions of the note's (target, month) up to it, `versions` all of them; `current` marks the one in
    force. before: as they stood then (notes written later left out)."""
    return con.execute(
        f"""
        WITH n AS (
            SELECT *, row_number() OVER w AS version,
                   count(*) OVER (PARTITION BY target_id, month) AS versions,
                   row_number() OVER (PARTITION BY target_id, month ORDER BY id DESC) = 1 AS current
            FROM notes
            WHERE (?::TIMESTAMP IS NULL OR written_at <= ?::TIMESTAMP)
            WINDOW w AS (PARTITION BY target_id, month ORDER BY id)
        )
        SELECT {_COLUMNS}, n.version, n.versions, n.current
        FROM n
        WHERE (?::VARCHAR IS NULL OR n.city = ?) AND (?::VARCHAR IS NULL OR n.target_id = ?)
          AND (?::BOOLEAN OR n.current)
        ORDER BY n.id DESC
        """,
        [before, before, city, city, target_id, target_id, history],
    ).df()


def latest_notes(con: Connection, city: str | None = None) -> pd.DataFrame:
    """Per target, the newest note in force (of any month): target_id, note_id, note, note_month, note_by,
    note_at."""
    return con.execute(
        """
        SELECT target_id, note_id, note, note_month, note_by, note_at FROM (
            SELECT target_id, id AS note_id, text AS note, month AS note_month, written_by AS note_by,
                   written_at AS note_at,
                   row_number() OVER (PARTITION BY target_id ORDER BY id DESC) AS newest
            FROM notes
            WHERE ?::VARCHAR IS NULL OR city = ?
        ) n
        WHERE newest = 1
        ORDER BY target_id
        """,
        [city, city],
    ).df()
