"""Batches after they are written: a value's revisions with their batches (history), the latest batches
with their undo links, and undo (an undo batch withdraws a batch's revisions; nothing is deleted)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from indicators.ingest import errors as ue
from indicators.store.catalog import new_batch
from indicators.store.db import Connection
from indicators.store.tx import lock_writes, transaction


@dataclass(frozen=True)
class UndoResult:
    undo_batch_id: int
    undone_batch_id: int
    values: int  # current values the undone batch had supplied


def history(con: Connection, city: str, indicator: str, period: dt.date | None = None) -> pd.DataFrame:
    """Every revision of a city's indicator (one month or all), oldest first, with its batch; `current`
    marks the revision in force and `undone_by` the undo batch that withdrew it."""
    return con.execute(
        """
        SELECT m.period, m.revision, m.value, m.original_value, m.original_unit, m.note, m.is_demo,
               m.valid_days, m.good_days, m.batch_id, b.kind, b.file_name, b.actor, b.created_at,
               u.undo_batch_id AS undone_by,
               c.revision IS NOT NULL AS current
        FROM measurements m
        JOIN batches b ON b.id = m.batch_id
        LEFT JOIN batch_undos u ON u.batch_id = m.batch_id
        LEFT JOIN current_measurements c
          ON c.city = m.city AND c.indicator = m.indicator AND c.period = m.period AND c.revision = m.revision
        WHERE m.city = ? AND m.indicator = ? AND (?::DATE IS NULL OR m.period = ?::DATE)
        ORDER BY m.period, m.revision
        """,
        [city, indicator, period, period],
    ).df()


def batches_frame(con: Connection, city: str | None = None, limit: int = 50) -> pd.DataFrame:
    """The latest batches (of one city), newest first, with their value count and undo links."""
    return con.execute(
        """
        SELECT b.id, b.kind, b.file_name, b.actor, b.created_at, b.note, count(m.revision) AS "values",
               coalesce(array_agg(DISTINCT m.city ORDER BY m.city) FILTER (WHERE m.city IS NOT NULL),
                        ARRAY[]::VARCHAR[]) AS cities,
               u.undo_batch_id AS undone_by, w.batch_id AS undoes
        FROM batches b
        LEFT JOIN measurements m ON m.batch_id = b.id
        LEFT JOIN batch_undos u ON u.batch_id = b.id
        LEFT JOIN batch_undos w ON w.undo_batch_id = b.id
        GROUP BY b.id, b.kind, b.file_name, b.actor, b.created_at, b.note, u.undo_batch_id, w.batch_id
        HAVING ?::VARCHAR IS NULL OR coalesce(bool_or(m.city = ?::VARCHAR), FALSE)
            OR (b.kind = 'undo' AND w.batch_id IN (SELECT batch_id FROM measurements WHERE city = ?::VARCHAR))
        ORDER BY b.id DESC
        LIMIT ?
        """,
        [city, city, city, limit],
    ).df()


def undo_batch(con: Connection, batch_id: int, actor: str, cities: frozenset[str] | None) -> UndoResult:
    """Withdraw a batch's revisions by recording an undo batch; nothing is deleted or rewritten.

    The current value of each key the batch wrote falls back to the newest revision of a batch that is not
    undone: undoing the newest batch restores exactly the state before it. Refused (UndoRefused) for an
    unknown batch, an undo, a batch already undone, or a batch with values of a city the actor may not
    write."""
    with transaction(con):
        lock_writes(con)
        row = con.execute("SELECT kind FROM batches WHERE id = ?", [batch_id]).fetchone()
        if row is None:
            raise ue.UndoRefused("unknown_batch", batch=batch_id)
        if row[0] == "undo":
            raise ue.UndoRefused("undo_of_undo", batch=batch_id)
        done = con.execute("SELECT undo_batch_id FROM batch_undos WHERE batch_id = ?", [batch_id]).fetchone()
        if done is not None:
            raise ue.UndoRefused("already_undone", batch=batch_id, undo=done[0])
        written = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT city FROM measurements WHERE batch_id = ?", [batch_id]
            ).fetchall()
        }
        if cities is not None and not written <= cities:
            raise ue.UndoRefused("undo_not_permitted", batch=batch_id, actor=actor)
        count = con.execute(
            "SELECT count(*) FROM current_measurements WHERE batch_id = ?", [batch_id]
        ).fetchone()
        undo = new_batch(con, "undo", actor, note=f"撤销批次 {batch_id} / undo of batch {batch_id}")
        con.execute("INSERT INTO batch_undos VALUES (?, ?)", [batch_id, undo])
    return UndoResult(undo, batch_id, int(count[0]) if count else 0)
