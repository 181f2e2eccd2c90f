"""Where things live: the repository's data folder and the default database file."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "store" / "migrations"
DEFAULT_DB = ROOT / "var" / "dabiao.duckdb"
LOG_FILE = Path(os.environ.get("DABIAO_LOG", ROOT / "var" / "log" / "indicators.log"))  # the CLI's bugs
# The seed plan documents ship inside the repository (public documents; a clause is shown in its context).
PLANS_DIR = DATA_DIR / "plans"
SEEDS_DIR = PLANS_DIR


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path | str:
    """The store: `--db PATH` first, then $DABIAO_DB, then var/dabiao.duckdb in the checkout. A PostgreSQL
    address (postgresql://…) is kept as text; anything else is the path of a DuckDB file."""
    chosen = explicit or os.environ.get("DABIAO_DB") or DEFAULT_DB
    if isinstance(chosen, str) and chosen.startswith(("postgresql://", "postgres://")):
        return chosen
    return Path(chosen)
