"""Library entry points that open the store for one piece of work: what the CLI and the app call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indicators import store
from indicators.catalog import demo
from indicators.catalog import load as cat
from indicators.store import db


@dataclass(frozen=True)
class DemoReport:
    batch_id: int | None
    values: int


def add_demo(path: Path | str) -> DemoReport:
    """Init, then write the demo series as one flagged batch unless demo data is already there."""
    catalog = cat.load()
    store.init(path, catalog)
    with db.connect(path) as con:
        if store.has_demo(con):
            return DemoReport(None, 0)
        frame = demo.generate(catalog)
        return DemoReport(store.write_demo(con, frame), len(frame))


def ensure(path: Path | str) -> None:
    """What the app does on start: create or upgrade the database, and give the demo data to a store nobody
    has written values to yet — missing, or made by `indicators init` or `indicators user add` (the README's
    first step) before the app's first start."""
    store.init(path)
    with db.connect(path, read_only=True) as con:
        fresh = not store.has_batches(con)
    if fresh and db.may_write(path):  # a read-only store is shown as it is
        add_demo(path)
