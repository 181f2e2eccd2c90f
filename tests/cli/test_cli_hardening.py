"""The command line under hostile use (issue 13): a bug is exit 2 "internal error" with its traceback in the
log, every `--format json` refusal is a JSON object, CSV output never holds a live formula, and `--user`
records the operating-system user beside the account."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES

from indicators import store
from indicators.accounts.actor import os_user
from indicators.cli import main as cli
from indicators.ingest import validate
from indicators.reporting.csv_text import frame_csv, neutral, rows_csv
from indicators.store import db

GOOD = str(FIXTURES / "uploads" / "good" / "long_utf8.csv")


def run(capsys: pytest.CaptureFixture[str], *args: str, stdin: str = "") -> tuple[int, str, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = cli.main(list(args))
    finally:
        sys.stdin = old
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "cli.duckdb"
    store.init(p)
    return p


def test_a_bug_in_ingest_exits_2_with_internal_error_and_the_traceback_in_the_log(
    path, tmp_path, monkeypatch, capsys
):
    log = tmp_path / "log" / "indicators.log"
    monkeypatch.setattr("indicators.cli.refusals.LOG_FILE", log)

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(validate, "validate", broken)
    code, out, err = run(capsys, "ingest", GOOD, "--db", str(path))
    assert code == 2 and "internal error" in err and str(log) in err
    assert "Traceback" not in err and "ZeroDivisionError" in log.read_text(encoding="utf-8")
    code, out, err = run(capsys, "ingest", GOOD, "--format", "json", "--db", str(path))
    assert code == 2 and json.loads(out)["errors"][0]["code"] == "internal_error"


def test_json_refusals_are_json_objects(path, capsys):
    code, out, _ = run(
        capsys,
        "user",
        "add",
        "看板",
        "--role",
        "viewer",
        "--password-stdin",
        "--db",
        str(path),
        stdin="a long one\n",
    )
    assert code == 0
    for user, expected in (("看板", "not_permitted"), ("ghost", "account_refused")):
        code, out, err = run(capsys, "ingest", GOOD, "--user", user, "--format", "json", "--db", str(path))
        body = json.loads(out)
        assert code == 2 and err.startswith("error:")
        assert set(body) == {"batch_id", "new", "changed", "unchanged", "rejected", "errors"}
        assert body["batch_id"] is None and [e["code"] for e in body["errors"]] == [expected]
    code, out, _ = run(capsys, "status", "--city", "atlantis", "--format", "json", "--db", str(path))
    assert code == 2 and json.loads(out)["error"]["code"] == "unknown_name"
    code, out, _ = run(capsys, "audit", "--since", "yesterday", "--format", "json", "--db", str(path))
    assert code == 2 and json.loads(out)["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("text", ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_like_text_is_neutralised(text):
    assert neutral(text) == "'" + text
    assert neutral(-2.5) == -2.5 and neutral("PM2.5") == "PM2.5"
    frame_text = frame_csv(pd.DataFrame({"a": [text], text: [1]}))
    assert next(csv.reader(io.StringIO(frame_text, newline=""))) == ["a", "'" + text]
    assert next(csv.reader(io.StringIO(rows_csv([[text, 1]]), newline=""))) == ["'" + text, "1"]


def test_targets_and_status_csv_hold_no_live_formula(path, capsys):
    with db.connect(path) as con:
        con.execute(
            "UPDATE targets SET quote = '=HYPERLINK(\"http://evil\")', responsible = ['@cmd', '-1+2']"
        )
    for command in (["targets", "--format", "csv"], ["status", "--format", "csv", "--as-of", "2020-12-31"]):
        code, out, err = run(capsys, *command, "--db", str(path))
        assert code == 0, err
        cells = [c for row in csv.reader(io.StringIO(out, newline="")) for c in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], command
        assert any(c.startswith("'@cmd") for c in cells)


def test_user_flag_records_the_operating_system_user_beside_the_account(path, capsys):
    add = ["user", "add", "王五", "--role", "staff", "--city", "灵武市", "--city", "南昌", "--password-stdin"]
    run(capsys, *add, "--db", str(path), stdin="wangwu-pass\n")
    code, _, err = run(capsys, "ingest", GOOD, "--user", "王五", "--db", str(path))
    assert code == 0, err
    _, out, _ = run(capsys, "audit", "--format", "json", "--db", str(path))
    rows = json.loads(out)
    assert [(r["actor"], r["os_user"]) for r in rows] == [(os_user(), None), ("王五", os_user())]
    _, text, _ = run(capsys, "audit", "--db", str(path))
    assert f"王五 · 上报数据 upload · 批次 batch 1 · 操作系统用户 OS user {os_user()}" in text
