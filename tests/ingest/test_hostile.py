"""Hostile files (issue 13): each one in tests/fixtures/hostile/ is refused with its one typed error, by the
real command line on a real store, and nothing is written."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES

from indicators import store, units
from indicators.cli import main as cli
from indicators.store import db

sys.path.insert(0, str(FIXTURES))
from make_hostile import HOSTILE  # noqa: E402

HOSTILE_DIR = FIXTURES / "hostile"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    store.init(path)
    return path


def rows(path: Path) -> tuple[int, int]:
    with db.connect(path, read_only=True) as con:
        batches = con.execute("SELECT count(*) FROM batches").fetchone()
        values = con.execute("SELECT count(*) FROM measurements").fetchone()
    assert batches is not None and values is not None
    return int(batches[0]), int(values[0])


def ingest(path: Path, file: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    code = cli.main(["ingest", str(file), "--format", "json", "--db", str(path), *extra])
    out = capsys.readouterr()
    assert "Traceback" not in out.err, out.err
    return code, json.loads(out.out)


def test_every_hostile_fixture_is_listed():
    assert {p.name for p in HOSTILE_DIR.iterdir()} == set(HOSTILE)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gets_its_typed_refusal_and_changes_nothing(store_path, capsys, name):
    expected_code, expected_exit = HOSTILE[name]
    before = rows(store_path)
    started = time.monotonic()
    exit_code, report = ingest(store_path, HOSTILE_DIR / name, capsys)
    assert time.monotonic() - started < 10
    assert {e["code"] for e in report["errors"]} == {expected_code}, report["errors"]
    assert exit_code == expected_exit
    assert report["batch_id"] is None and report["new"] + report["changed"] == 0 or expected_exit == 1
    assert rows(store_path) == before


@pytest.mark.parametrize("name", sorted(n for n, (_, status) in HOSTILE.items() if status == 1))
def test_rejected_values_are_not_written_even_with_valid_only(tmp_path, capsys, name):
    """--valid-only commits the good row beside the rejected one; the rejected one is never stored."""
    store_path = tmp_path / "valid_only.duckdb"
    exit_code, report = ingest(store_path, HOSTILE_DIR / name, capsys, "--valid-only")
    assert exit_code == 1 and report["rejected"] >= 1
    with db.connect(store_path, read_only=True) as con:
        bad = "pm25" if name.startswith("wide") else "pm10"  # the wide file's bad unit is PM2.5's
        written = con.execute("SELECT count(*) FROM measurements WHERE indicator = ?", [bad]).fetchone()
    assert written == (0,)


def test_the_grammar_decides_a_power_tower_within_a_second():
    started = time.monotonic()
    with pytest.raises(units.UnitError):
        units.parse("9**9**9")
    with pytest.raises(units.UnitError):
        units.factor("9**9**9**9**9", "ug/m3")
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    "written",
    [
        "mu",
        "u",
        "5 mu",
        "µ",
        "pi",
        "percent**2",
        "ppm",
        "ug/m3*percent",
        "1/0",
        "ug/0",
        "(ug/m3)**0",
        "ug/m3)",
        "m**9",
        "万",
        "万万吨",
        "ug/m3/m3",
        "tonne**2",
        "e",
        "inf",
        "nan",
        "1e3",
        "9**9**9",
        "a" * 5000,
    ],
)
def test_units_outside_the_grammar_are_unknown(written):
    with pytest.raises(units.UnitError, match="unknown unit"):
        units.parse(written)


@pytest.mark.parametrize(
    ("written", "canonical", "expected"),
    [
        ("ug/m3", "ug/m3", 1.0),
        ("µg/m³", "ug/m3", 1.0),
        ("微克 / 立方米", "ug/m3", 1.0),
        ("mg/m3", "ug/m3", 1000.0),
        ("千吨", "吨", 1000.0),
        ("万亩", "亩", 1e4),
        ("公顷", "亩", 15.0),
        ("km²", "平方米", 1e6),
        ("㎡", "平方米", 1.0),
        ("吨标准煤/万元", "tce/万元", 1.0),
        ("%", "percent", 1.0),
        ("t", "吨", 1.0),
    ],
)
def test_the_domain_spellings_still_convert(written, canonical, expected):
    assert units.factor(written, canonical) == pytest.approx(expected)
