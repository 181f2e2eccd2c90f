"""Accounts, target edits and the audit log (appended inside every write's transaction)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from contextvars import ContextVar

import pandas as pd

from indicators.store import db
from indicators.store.db import Connection
from indicators.store.sessions import delete_account_sessions
from indicators.store.tx import transaction

# The operating-system user who ran a command acting for an account (`--user NAME`); set by the command line
# and written beside the account in every audit row of that command.
OS_USER: ContextVar[str | None] = ContextVar("os_user", default=None)


def audit(
    con: Connection,
    actor: str,
    action: str,
    batch_id: int | None = None,
    subject: str | None = None,
    detail: Mapping[str, object] | None = None,
) -> None:
    """Append one audit row; call it inside the transaction of the write it records."""
    con.execute(
        "INSERT INTO audit_log (written_at, actor, action, batch_id, subject, detail, os_user) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            dt.datetime.now(),
            actor,
            action,
            batch_id,
            subject,
            json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True),
            OS_USER.get(),
        ],
    )


def audit_frame(con: Connection, since: dt.date | None = None) -> pd.DataFrame:
    """The audit log from a date on, oldest first, with each batch's value count and cities."""
    return con.execute(
        """
        WITH written AS (
            SELECT batch_id, count(*) AS "values", array_agg(DISTINCT city ORDER BY city) AS cities
            FROM measurements WHERE batch_id IN (SELECT batch_id FROM audit_log) GROUP BY batch_id
        )
        SELECT a.id, a.written_at, a.actor, a.os_user, a.action, a.batch_id, a.subject, a.detail,
               coalesce(w."values", 0) AS "values", coalesce(w.cities, ARRAY[]::VARCHAR[]) AS cities,
               u.batch_id AS undoes
        FROM audit_log a
        LEFT JOIN written w ON w.batch_id = a.batch_id
        LEFT JOIN batch_undos u ON u.undo_batch_id = a.batch_id
        WHERE ?::DATE IS NULL OR a.written_at >= ?::DATE
        ORDER BY a.id
        """,
        [since, since],
    ).df()


def user_row(con: Connection, name: str) -> tuple[str, str, list[str]] | None:
    """(role, password hash, cities) of an account, or None."""
    row = con.execute(
        f"SELECT u.role, u.password_hash, {_CITIES} "
        "FROM users u LEFT JOIN user_cities c ON c.name = u.name WHERE u.name = ? "
        "GROUP BY u.role, u.password_hash",
        [name],
    ).fetchone()
    return (str(row[0]), str(row[1]), list(row[2])) if row else None


_CITIES = db.ACCOUNT_CITIES


def users_frame(con: Connection) -> pd.DataFrame:
    """Every account without its password hash: name, role, cities, created_at, updated_at."""
    return con.execute(
        f"SELECT u.name, u.role, {_CITIES} AS cities, u.created_at, u.updated_at "
        "FROM users u LEFT JOIN user_cities c ON c.name = u.name "
        "GROUP BY u.name, u.role, u.created_at, u.updated_at ORDER BY u.name"
    ).df()


def insert_user(
    con: Connection, by: str, name: str, role: str, cities: list[str], password_hash: str
) -> None:
    with transaction(con):
        now = dt.datetime.now()
        con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?)", [name, role, password_hash, now, now])
        for city in cities:
            con.execute("INSERT INTO user_cities VALUES (?, ?)", [name, city])
        audit(con, by, "user_add", subject=name, detail={"role": role, "cities": cities})


def update_password(con: Connection, by: str, name: str, password_hash: str) -> None:
    with transaction(con):
        con.execute(
            "UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?",
            [password_hash, dt.datetime.now(), name],
        )
        delete_account_sessions(con, name)  # a new password ends every session of the old one
        audit(con, by, "user_passwd", subject=name)


def delete_user(con: Connection, by: str, name: str) -> None:
    with transaction(con):
        row = user_row(con, name)
        con.execute("DELETE FROM user_cities WHERE name = ?", [name])
        con.execute("DELETE FROM users WHERE name = ?", [name])
        delete_account_sessions(con, name)
        detail = {"role": row[0], "cities": row[2]} if row else {}
        audit(con, by, "user_remove", subject=name, detail=detail)


def target_row(con: Connection, target_id: str) -> pd.Series | None:
    """One target with its indicator's unit, range and aggregation, or None."""
    frame = con.execute(
        "SELECT t.*, i.unit AS canonical_unit, i.valid_min, i.valid_max FROM targets t "
        "JOIN indicators i ON i.code = t.indicator WHERE t.id = ?",
        [target_id],
    ).df()
    return frame.iloc[0] if len(frame) else None


def edit_target(
    con: Connection,
    by: str,
    target_id: str,
    fields: dict[str, object],
    reason: str,
    before: dict[str, object],
) -> None:
    """Write an edit (value, value_canonical, deadline, responsible, cooperating) of one target, keep it for
    catalog reloads, and audit old and new values, all in one transaction."""

    with transaction(con):
        row = [target_id, *(fields[k] for k in _EDIT_FIELDS), by, dt.datetime.now(), reason]
        con.execute(
            "INSERT INTO target_edits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target_id) DO UPDATE "
            "SET value = excluded.value, value_canonical = excluded.value_canonical, "
            "deadline = excluded.deadline, responsible = excluded.responsible, "
            "cooperating = excluded.cooperating, edited_by = excluded.edited_by, "
            "edited_at = excluded.edited_at, reason = excluded.reason",
            row,
        )
        apply_target_edits(con, target_id)
        changes = {k: [before[k], fields[k]] for k in _EDIT_FIELDS if before[k] != fields[k]}
        audit(con, by, "target_edit", subject=target_id, detail={"changes": changes, "reason": reason})


_EDIT_FIELDS = ("value", "value_canonical", "deadline", "responsible", "cooperating")


def apply_target_edits(con: Connection, target_id: str | None = None) -> None:
    con.execute(
        "UPDATE targets t SET value = e.value, value_canonical = e.value_canonical, deadline = e.deadline, "
        "responsible = e.responsible, cooperating = e.cooperating FROM target_edits e "
        "WHERE e.target_id = t.id AND (?::VARCHAR IS NULL OR t.id = ?)",
        [target_id, target_id],
    )


def target_edits_frame(con: Connection) -> pd.DataFrame:
    return con.execute("SELECT * FROM target_edits ORDER BY target_id").df()
