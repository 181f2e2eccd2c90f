"""Shared fixtures: the real catalog, real DuckDB files in a temporary folder, the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from indicators import service
from indicators.catalog import load as cat

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def catalog() -> cat.Catalog:
    return cat.load()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the catalog and the demo data; tests must not write to it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    service.add_demo(path)
    return path


def run_cli(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """The installed `indicators` console script, as a user runs it (standard input: `stdin`, never a
    terminal)."""
    exe = Path(sys.executable).parent / "indicators"
    full_env = {**os.environ, **(env or {})}
    cmd = [str(exe), *args] + (["--db", str(db)] if db else [])
    return subprocess.run(
        cmd, capture_output=True, text=True, env=full_env, timeout=120, cwd=ROOT, input=stdin
    )
