"""Damaged, foreign, read-only and full stores (issue 13): each says what it is at once, through the real
command line (in this process, for speed) on real files; nothing is changed and nothing waits for a lock."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES

from indicators import store
from indicators.accounts.actor import local_operator
from indicators.cli import main as cli
from indicators.errors import StoreReadOnly, StoreWriteFailed
from indicators.ingest import service as uploads
from indicators.store import db

GOOD_UPLOAD = FIXTURES / "uploads" / "good" / "long_utf8.csv"
DAMAGED = "damaged or not a Dabiao database"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.err, out.err
    return code, out.out, out.err


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "good.duckdb"
    store.init(path)
    uploads.ingest_file(path, GOOD_UPLOAD.read_bytes(), "long_utf8.csv", local_operator())
    return path


def damaged_files(good: Path, folder: Path) -> dict[str, Path]:
    content = good.read_bytes()
    made = {
        "zero_bytes": b"",
        "truncated": content[: len(content) // 2],
        "header_only": content[:12288],
        "first_block_only": content[:5000],
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(4096),
    }
    files = {}
    for name, data in made.items():
        files[name] = folder / f"{name}.duckdb"
        files[name].write_bytes(data)
    files["sqlite"] = folder / "sqlite.duckdb"
    with sqlite3.connect(files["sqlite"]) as con:
        con.execute("CREATE TABLE t (x)")
    return files


@pytest.mark.parametrize(
    "kind", ["zero_bytes", "truncated", "header_only", "first_block_only", "png", "sqlite"]
)
@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["targets", "--format", "json"],
        ["ingest", str(GOOD_UPLOAD), "--dry-run"],
        ["ingest", str(GOOD_UPLOAD), "--format", "json"],
        ["audit"],
    ],
)
def test_damaged_or_foreign_store_is_not_busy(good_store, tmp_path, capsys, kind, command):
    path = damaged_files(good_store, tmp_path)[kind]
    before = path.read_bytes()
    started = time.monotonic()
    code, out, err = run(capsys, *command, "--db", str(path))
    assert time.monotonic() - started < 3  # at once: never the 10 s of waiting for a lock
    assert code == 2 and DAMAGED in err and "busy" not in err
    if "json" in command:
        body = json.loads(out)
        found = body["errors"][0]["code"] if command[0] == "ingest" else body["error"]["code"]
        assert found == "store_damaged"
    assert path.read_bytes() == before


def test_sqlite_file_never_makes_duckdb_fetch_an_extension(good_store, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # where DuckDB would install sqlite_scanner
    path = damaged_files(good_store, tmp_path)["sqlite"]
    code, _, err = run(capsys, "status", "--db", str(path))
    assert code == 2 and DAMAGED in err
    assert not (tmp_path / "home" / ".duckdb").exists()
    assert db.CONFIG["autoload_known_extensions"] is False


def _mount(args: list[str]) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def read_only_copy(good_store: Path, tmp_path: Path) -> Iterator[Path]:
    """The good store on a read-only bind mount (needs root; skipped elsewhere)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(good_store, folder / "store.duckdb")
    if not _mount(["--bind", "-o", "ro", str(folder), str(folder)]):
        pytest.skip("cannot mount a read-only folder here")
    try:
        yield folder / "store.duckdb"
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_read_only_store_reads_everything_and_refuses_writes(read_only_copy, capsys):
    db_args = ["--db", str(read_only_copy)]
    for command in (
        ["targets", "--format", "csv"],
        ["status", "--format", "json"],
        ["audit", "--format", "json"],
        ["user", "list"],
        ["history", "--city", "灵武市", "--indicator", "pm25"],
        ["ingest", str(GOOD_UPLOAD), "--dry-run", "--format", "json"],
        ["init"],
    ):
        code, out, err = run(capsys, *command, *db_args)
        assert code == 0, (command, err)
    for command in (
        ["ingest", str(FIXTURES / "uploads" / "good" / "long.xlsx")],
        ["demo"],
        ["undo", "1"],
    ):
        code, out, err = run(capsys, *command, *db_args)
        assert code == 2 and "read-only" in err, (command, err)
    with pytest.raises(StoreReadOnly):
        with db.connect(read_only_copy):
            pass


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MB file system of its own (tmpfs; needs root, skipped elsewhere)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if not _mount(["-t", "tmpfs", "-o", "size=24m", "tmpfs", str(folder)]):
        pytest.skip("cannot mount a small file system here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def many_values(path: Path) -> bytes:
    """Every city × indicator × month 2000-2020 at the indicator's lowest valid value (160,000 values)."""
    with db.connect(path, read_only=True) as con:
        indicators = con.execute("SELECT code, unit, valid_min FROM indicators ORDER BY code").fetchall()
        cities = [r[0] for r in con.execute("SELECT code FROM cities ORDER BY code").fetchall()]
    lines = ["城市,指标,月份,数值,单位"]
    for city in cities:
        for code, unit, low in indicators:
            lines += [
                f"{city},{code},{y}-{m:02d},{low or 0},{unit}"
                for y in range(2000, 2021)
                for m in range(1, 13)
            ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_disk_full_during_a_commit_is_typed_and_the_next_write_works(small_disk, capsys):
    path = small_disk / "store.duckdb"
    store.init(path)
    data = many_values(path)
    upload = small_disk.parent / "many.csv"
    upload.write_bytes(data)
    free = shutil.disk_usage(small_disk).free
    filler = small_disk / "filler"
    filler.write_bytes(bytes(free - 300_000))

    def counts() -> tuple[int, int]:
        with db.connect(path, read_only=True) as con:
            found = con.execute("SELECT (SELECT count(*) FROM measurements), (SELECT count(*) FROM batches)")
            return found.fetchone()  # type: ignore[return-value]

    with pytest.raises(StoreWriteFailed):
        uploads.ingest_file(path, data, "many.csv", local_operator())
    assert counts() == (0, 0)
    code, _, err = run(capsys, "ingest", str(upload), "--db", str(path))
    assert code == 2 and "disk full" in err and counts() == (0, 0)
    filler.unlink()  # space is back: the next write, in this same process, works
    outcome = uploads.ingest_file(path, data, "many.csv", local_operator())
    assert outcome.batch_id is not None and counts() == (outcome.new, 1)
