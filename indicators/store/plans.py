"""SQL of imported plan documents and their candidate targets (tables of migration 0010_plans)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pandas as pd

from indicators.store.additions import latest_reviews
from indicators.store.db import Connection
from indicators.store.tx import transaction


def plan_with_sha(con: Connection, sha256: str) -> int | None:
    row = con.execute("SELECT id FROM plan_documents WHERE sha256 = ?", [sha256]).fetchone()
    return int(row[0]) if row else None


def insert_plan(
    con: Connection,
    document: dict[str, object],
    candidates: list[dict[str, object]],
    audit: Callable[[Connection, int], None],
) -> int:
    """Store a document (city, title, file_name, sha256, content, document_date, imported_by) and its
    candidates as a draft, with its audit row, in one transaction; return the plan's id."""
    with transaction(con):
        row = con.execute(
            "INSERT INTO plan_documents (city, title, file_name, sha256, content, document_date, "
            "imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                document["city"],
                document["title"],
                document["file_name"],
                document["sha256"],
                document["content"],
                document["document_date"],
                document["imported_by"],
                dt.datetime.now(),
            ],
        ).fetchone()
        assert row is not None
        plan_id = int(row[0])
        con.executemany(
            "INSERT INTO plan_candidates (plan_id, n, record) VALUES (?, ?, ?)",
            [[plan_id, n, json.dumps(c, ensure_ascii=False)] for n, c in enumerate(candidates, 1)],
        )
        audit(con, plan_id)
    return plan_id


def plans_list(con: Connection) -> pd.DataFrame:
    """One row per imported plan (no content), with its number of candidates, newest first."""
    return con.execute(
        "SELECT d.id, d.city, d.title, d.file_name, d.sha256, d.document_date, d.status, d.imported_by, "
        "d.imported_at, count(c.n) AS candidates "
        "FROM plan_documents d LEFT JOIN plan_candidates c ON c.plan_id = d.id "
        "GROUP BY d.id, d.city, d.title, d.file_name, d.sha256, d.document_date, d.status, d.imported_by, "
        "d.imported_at ORDER BY d.id DESC"
    ).df()


def plan_document(con: Connection, plan_id: int) -> dict[str, object] | None:
    cur = con.execute("SELECT * FROM plan_documents WHERE id = ?", [plan_id])
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def plan_candidates(con: Connection, plan_id: int) -> list[dict[str, object]]:
    """The candidates of a plan in document order, each its record plus `n`, `review` and `edited` (the
    fields a reviewer changed), with the reviewer's decision in force applied (store.latest_reviews)."""
    rows = con.execute(
        "SELECT n, review, record FROM plan_candidates WHERE plan_id = ? ORDER BY n", [plan_id]
    ).fetchall()
    reviews = latest_reviews(con, plan_id)
    out = []
    for n, review, record in rows:
        review, fields = reviews.get(n, (review, {}))
        out.append({"n": n, "review": review, **json.loads(record), **fields, "edited": sorted(fields)})
    return out
