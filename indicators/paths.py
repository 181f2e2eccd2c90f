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


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: `--db PATH` first, then $DABIAO_DB, then var/dabiao.duckdb in the checkout."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("DABIAO_DB")
    return Path(env) if env else DEFAULT_DB
