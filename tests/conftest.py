"""Shared fixtures: the real catalog, real DuckDB files in a temporary folder (or, with the `backend`
fixture, PostgreSQL databases in a throwaway cluster), the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from indicators import service
from indicators.catalog import load as cat
from tests import backends

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
    *args: str, db: Path | str | None = None, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """The installed `indicators` console script, as a user runs it (standard input: `stdin`, never a
    terminal)."""
    exe = Path(sys.executable).parent / "indicators"
    full_env = {**os.environ, **(env or {})}
    cmd = [str(exe), *args] + (["--db", str(db)] if db else [])
    return subprocess.run(
        cmd, capture_output=True, text=True, env=full_env, timeout=120, cwd=ROOT, input=stdin
    )


# --- the two store backends (tests/backends.py) ----------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster(request: pytest.FixtureRequest) -> backends.Cluster:
    """The session's throwaway PostgreSQL cluster, started on first use; stopped and removed at the end of
    the session whatever happened (a finalizer, registered before the server starts)."""
    started: list[backends.Cluster] = []

    def finish() -> None:
        for cluster in started:
            backends.finish(cluster)

    request.addfinalizer(finish)
    started.append(backends.start())
    return started[0]


@pytest.fixture(params=backends.BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def new_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[str], Path | str]:
    """new_store(name): the address of a new, empty store of the test's backend (a DuckDB file in tmp_path,
    or a new PostgreSQL database)."""
    if backend == "duckdb":
        return lambda name: tmp_path / f"{name}.duckdb"
    cluster: backends.Cluster = request.getfixturevalue("pg_cluster")
    return lambda name: cluster.create()


@pytest.fixture(scope="session")
def pg_demo(pg_cluster: backends.Cluster) -> str:
    """The name of a PostgreSQL database with the catalog and the demo data, to copy (never written)."""
    url = pg_cluster.create()
    service.add_demo(url)
    return urlsplit(url).path.lstrip("/")


@pytest.fixture
def demo_store(
    backend: str, demo_db: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[[str], Path | str]:
    """demo_store(name): the address of a new copy of the demo database on the test's backend."""
    if backend == "duckdb":

        def copy(name: str) -> Path:
            path = tmp_path / f"{name}.duckdb"
            shutil.copy(demo_db, path)
            return path

        return copy
    cluster: backends.Cluster = request.getfixturevalue("pg_cluster")
    template: str = request.getfixturevalue("pg_demo")
    return lambda name: cluster.create(template)


def wait_until(check, seconds: float = 120.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll `check` every 0.1 s until it holds (True) or `seconds` have passed (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False
