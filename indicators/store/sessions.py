"""Browser sessions (by token hash), failed sign-ins, the data version and the shared evaluation."""

from __future__ import annotations

import datetime as dt

from indicators.store.db import ACCOUNT_CITIES, Connection
from indicators.store.tx import transaction

# portable SQL (DuckDB and PostgreSQL): the cities as an array, as store.accounts reads them
_ACCOUNT = (
    f"SELECT s.account, u.role, {ACCOUNT_CITIES}, s.created_at, s.last_seen "
    "FROM sessions s JOIN users u ON u.name = s.account AND u.created_at = s.account_created_at "
    "LEFT JOIN user_cities c ON c.name = u.name WHERE s.token_sha256 = ? "
    "GROUP BY s.account, u.role, s.created_at, s.last_seen"
)


def insert_session(con: Connection, token_sha256: str, name: str, now: dt.datetime) -> bool:
    """A session of the account as it exists now (bound to its creation time); False if it does not."""
    with transaction(con):
        row = con.execute(
            "INSERT INTO sessions SELECT ?, name, created_at, ?, ? FROM users WHERE name = ? RETURNING 1",
            [token_sha256, now, now, name],
        ).fetchone()
    return row is not None


def session_account(
    con: Connection, token_sha256: str
) -> tuple[str, str, list[str], dt.datetime, dt.datetime] | None:
    """(name, role, cities, created_at, last_seen) of the session's account, or None when there is no such
    session or its account was removed (an account made again under the same name is not it)."""
    row = con.execute(_ACCOUNT, [token_sha256]).fetchone()
    return (str(row[0]), str(row[1]), list(row[2]), row[3], row[4]) if row else None


def touch_session(con: Connection, token_sha256: str, now: dt.datetime) -> None:
    con.execute("UPDATE sessions SET last_seen = ? WHERE token_sha256 = ?", [now, token_sha256])


def delete_session(con: Connection, token_sha256: str) -> None:
    con.execute("DELETE FROM sessions WHERE token_sha256 = ?", [token_sha256])


def delete_account_sessions(con: Connection, name: str) -> None:
    """Every session of an account; call it inside the transaction that removes it or changes its password."""
    con.execute("DELETE FROM sessions WHERE account = ?", [name])


def delete_expired_sessions(con: Connection, idle_before: dt.datetime, created_before: dt.datetime) -> None:
    con.execute("DELETE FROM sessions WHERE last_seen < ? OR created_at < ?", [idle_before, created_before])


def sessions_count(con: Connection, name: str) -> int:
    row = con.execute("SELECT count(*) FROM sessions WHERE account = ?", [name]).fetchone()
    return int(row[0]) if row else 0


def failures(con: Connection, name: str, since: dt.datetime) -> list[dt.datetime]:
    """The failed sign-ins of a (case-folded) name since a time, oldest first."""
    rows = con.execute(
        "SELECT failed_at FROM sign_in_failures WHERE name = ? AND failed_at > ? ORDER BY failed_at",
        [name, since],
    ).fetchall()
    return [r[0] for r in rows]


def add_failure(con: Connection, name: str, now: dt.datetime, forget_before: dt.datetime) -> None:
    with transaction(con):
        con.execute("DELETE FROM sign_in_failures WHERE failed_at <= ?", [forget_before])
        con.execute("INSERT INTO sign_in_failures VALUES (?, ?)", [name, now])


def clear_failures(con: Connection, name: str) -> None:
    con.execute("DELETE FROM sign_in_failures WHERE name = ?", [name])


def data_version(con: Connection) -> str:
    """Changes with every write an evaluation depends on: a batch (upload, undo, demo), an undo, a target
    edit, a catalog reload, a plan published, a city or an indicator added. Sessions and sign-ins do not
    change it."""
    row = con.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM batches), (SELECT count(*) FROM batch_undos), "
        "(SELECT coalesce(max(edited_at)::VARCHAR, '') FROM target_edits), "
        "(SELECT coalesce(max(content_sha), '') FROM catalog_state), "
        "(SELECT count(*) FROM plan_publications), (SELECT count(*) FROM added_cities), "
        "(SELECT count(*) FROM added_indicators)"
    ).fetchone()
    assert row is not None
    return "-".join(str(v) for v in row)


def save_evaluation(con: Connection, version: str, arrow: bytes, now: dt.datetime) -> None:
    """Keep the evaluation of one data version (only the newest: older versions are never asked for)."""
    with transaction(con):
        con.execute("DELETE FROM evaluations")
        con.execute("INSERT INTO evaluations VALUES (?, ?, ?)", [version, now, arrow])


def load_evaluation(con: Connection, version: str) -> bytes | None:
    row = con.execute("SELECT frame FROM evaluations WHERE data_version = ?", [version]).fetchone()
    return bytes(row[0]) if row else None
