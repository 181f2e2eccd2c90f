"""The two store backends for the tests: a DuckDB file in a temporary folder, or a new database in a
throwaway PostgreSQL cluster that scripts/pg.sh starts once per test session (installing Debian's package
when it is missing) and removes when the session ends, failed or not. DABIAO_TEST_PG=postgresql://… uses
an existing server instead (each test gets a database of its own there, dropped afterwards)."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ["duckdb", "postgresql"]
_NUMBERS = itertools.count(1)


class Cluster:
    """A PostgreSQL server the tests may create and drop databases on."""

    def __init__(self, url: str, folder: Path | None):
        self.url = url  # of its maintenance database
        self.folder = folder  # the throwaway cluster's folder (None: a server that is not ours)
        self.made: list[str] = []

    def database_url(self, name: str) -> str:
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def create(self, template: str | None = None) -> str:
        """A new, empty database (or a copy of `template`); its address."""
        name = f"dabiao_t{os.getpid()}_{next(_NUMBERS)}"
        with psycopg.connect(self.url, autocommit=True) as con:
            extra = f" TEMPLATE {template}" if template else ""
            con.execute(f"CREATE DATABASE {name}{extra}".encode())
        self.made.append(name)
        return self.database_url(name)

    def drop_all(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as con:
            for name in self.made:
                con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())
        self.made.clear()


def start() -> Cluster:
    existing = os.environ.get("DABIAO_TEST_PG")
    if existing:
        return Cluster(existing, None)
    folder = Path(tempfile.gettempdir()) / f"dabiao-pg-{os.getpid()}"
    stop(folder)  # a folder of an earlier session with this process id
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg.sh"), "start", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        stop(folder)
        raise RuntimeError(f"scripts/pg.sh start failed:\n{done.stdout}\n{done.stderr}")
    return Cluster(done.stdout.strip().splitlines()[-1], folder)


def stop(folder: Path) -> None:
    if folder.exists():
        script = str(ROOT / "scripts" / "pg.sh")
        subprocess.run(["bash", script, "stop", str(folder)], timeout=120, check=False)


def finish(cluster: Cluster) -> None:
    """Remove what the session made: the whole cluster, or only its databases on a server not ours."""
    if cluster.folder is not None:
        stop(cluster.folder)
    else:
        cluster.drop_all()


INDICATORS = Path(sys.executable).parent / "indicators"


def start_ingests(address: str, files: list[Path]) -> list[subprocess.Popen[str]]:
    """One `indicators ingest FILE --format json` process per file on the store at `address`, all started
    at once and left running."""
    env = {**os.environ, "DABIAO_DB": address}
    return [
        subprocess.Popen(
            [str(INDICATORS), "ingest", str(f), "--format", "json"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        for f in files
    ]


def finished(running: list[subprocess.Popen[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Wait for every process; what each printed and its exit status."""
    done = []
    for p in running:
        out, err = p.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


def ingest_at_once(address: str, files: list[Path]) -> list[subprocess.CompletedProcess[str]]:
    """start_ingests, then wait for every one."""
    return finished(start_ingests(address, files))
