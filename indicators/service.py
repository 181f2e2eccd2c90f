"""Library entry points that open the store for one piece of work: what the CLI and the app call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indicators import catalog as cat
from indicators import db, demo, store


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
    """What the app does on start: upgrade an existing database; build init + demo when it is missing."""
    if Path(path).exists():
        store.init(path)
    else:
        add_demo(path)
