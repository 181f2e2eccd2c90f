"""The upload commands as a user runs them (the installed `indicators` script on real files), a process
killed with SIGKILL in the middle of a commit, and an ingest running while another process keeps reading."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, ROOT, run_cli

from indicators.catalog import load as cat
from indicators.ingest import errors as ue
from indicators.ingest import service as uploads
from indicators.store import db

UPLOADS = FIXTURES / "uploads"
INDICATORS = str(Path(sys.executable).parent / "indicators")
JSON_KEYS = {"batch_id", "new", "changed", "unchanged", "rejected", "errors"}


def ingest_json(db_file: Path, *args: str) -> tuple[int, dict]:
    out = run_cli("ingest", *args, "--format", "json", db=db_file)
    assert "Traceback" not in out.stderr, out.stderr
    return out.returncode, json.loads(out.stdout)


def counts(db_file: Path) -> tuple[int, int]:
    with db.connect(db_file, read_only=True) as con:
        batches = con.execute("SELECT count(*) FROM batches").fetchone()[0]
        values = con.execute("SELECT count(*) FROM measurements").fetchone()[0]
    return batches, values


def test_ingest_json_contract_and_exit_codes(tmp_path):
    path = tmp_path / "cli.duckdb"
    good = str(UPLOADS / "good" / "long_gbk_excel.csv")
    code, dry = ingest_json(path, good, "--dry-run")
    assert code == 0 and set(dry) == JSON_KEYS
    assert dry == {"batch_id": None, "new": 5, "changed": 0, "unchanged": 0, "rejected": 0, "errors": []}
    added = run_cli(
        "user",
        "add",
        "王五",
        "--role",
        "staff",
        "--city",
        "灵武市",
        "--city",
        "南昌",
        "--password-stdin",
        db=path,
        stdin="wangwu-pass\n",
    )
    assert added.returncode == 0, added.stderr
    code, done = ingest_json(path, good, "--user", "王五")
    assert code == 0 and isinstance(done["batch_id"], int) and done["new"] == 5
    code, again = ingest_json(path, good)
    assert code == 0 and again == {**dry, "new": 0, "unchanged": 5}

    code, bad = ingest_json(path, str(UPLOADS / "bad" / "unknown_city.csv"))
    assert code == 1 and bad["batch_id"] is None and bad["rejected"] == 1
    assert bad["errors"] == [
        {
            "row": 3,
            "column": "城市",
            "code": "unknown_city",
            "message": "未知城市“亚特兰蒂斯” / unknown city “亚特兰蒂斯”",
        }
    ]
    code, unusable = ingest_json(path, str(UPLOADS / "bad" / "encoding.csv"))
    assert code == 2 and [e["code"] for e in unusable["errors"]] == ["encoding"]
    missing = run_cli("ingest", str(tmp_path / "nope.csv"), db=path)
    assert missing.returncode == 2 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr


def test_valid_only_commits_the_rest_and_still_exits_1(tmp_path):
    path = tmp_path / "cli.duckdb"
    bad = str(UPLOADS / "bad" / "unknown_city.csv")
    code, refused = ingest_json(path, bad)
    assert code == 1 and refused["batch_id"] is None
    code, partial = ingest_json(path, bad, "--valid-only")
    assert code == 1 and isinstance(partial["batch_id"], int) and partial["new"] == 1


def test_ingest_text_output_shows_old_and_new(demo_db, tmp_path):
    path = tmp_path / "demo.duckdb"
    path.write_bytes(demo_db.read_bytes())
    out = run_cli("ingest", str(UPLOADS / "good" / "long_gbk_excel.csv"), "--dry-run", db=path)
    assert out.returncode == 0
    assert "预演" in out.stdout and "修改 changed 5" in out.stdout
    assert re.search(r"lingwu pm25 2020-03: [\d.]+ \(示例 demo\) → 35", out.stdout), out.stdout


def test_named_sheet(tmp_path):
    path = tmp_path / "cli.duckdb"
    book = str(UPLOADS / "good" / "named_sheet.xlsx")
    code, first = ingest_json(path, book)
    assert code == 2 and first["errors"][0]["code"] == "empty_file"  # the first sheet holds only a note
    code, named = ingest_json(path, book, "--sheet", "2020年数据")
    assert code == 0 and named["new"] == 5


def test_history_and_undo_commands(tmp_path):
    path = tmp_path / "cli.duckdb"
    _, first = ingest_json(path, str(UPLOADS / "good" / "long_utf8.csv"))
    fix = tmp_path / "fix.csv"
    fix.write_text("城市,指标,月份,数值,单位\n灵武市,PM2.5,2020-03,36,ug/m3\n", encoding="utf-8")
    _, second = ingest_json(path, str(fix))
    out = run_cli("history", "--city", "灵武市", "--indicator", "pm25", "--format", "json", db=path)
    march = [r for r in json.loads(out.stdout) if r["period"] == "2020-03"]
    assert [(r["revision"], r["value"], r["batch_id"], r["current"]) for r in march] == [
        (1, 35.0, first["batch_id"], False),
        (2, 36.0, second["batch_id"], True),
    ]
    run_cli("user", "add", "chief", "--role", "admin", "--password-stdin", db=path, stdin="chief-pass\n")
    undo = run_cli("undo", str(second["batch_id"]), "--user", "chief", db=path)
    assert undo.returncode == 0 and f"undid batch {second['batch_id']}" in undo.stdout
    text = run_cli("history", "--city", "Lingwu", "--indicator", "细颗粒物", db=path).stdout
    assert "← 当前 current" in text and "undone by batch" in text
    again = run_cli("undo", str(second["batch_id"]), db=path)
    assert again.returncode == 2 and "already undone" in again.stderr and "Traceback" not in again.stderr
    unknown = run_cli("history", "--city", "灵武市", "--indicator", "ozone", db=path)
    assert unknown.returncode == 2 and "unknown indicator" in unknown.stderr


def test_template_round_trip_csv_and_xlsx(tmp_path, catalog):
    path = tmp_path / "cli.duckdb"
    run_cli("init", db=path)
    csv_file, xlsx_file = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert run_cli("template", "--city", "灵武市", "--out", str(csv_file), db=path).returncode == 0
    assert (
        run_cli(
            "template", "--city", "lingwu", "--format", "xlsx", "--out", str(xlsx_file), db=path
        ).returncode
        == 0
    )
    lingwu = {t.indicator for t in catalog.targets if t.city == "lingwu"}

    # CSV: opened in Excel (UTF-8 with BOM), filled in, saved back as GBK with CRLF as Excel does
    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:2] == ["城市", "月份"] and len(header) == 2 + len(lingwu) + 2
    assert header[-2:] == ["有效天数", "备注"]  # the row's valid days (issue 12), then the note
    assert "PM2.5年均浓度(微克/立方米)" in header and "空气质量优良天数比例(%)" in header
    pm25, ratio = header.index("PM2.5年均浓度(微克/立方米)"), header.index("空气质量优良天数比例(%)")
    rows[1][pm25], rows[1][ratio], rows[2][pm25] = "33", "88.5", "31"
    rows[3][ratio], rows[3][-2] = "25/28", "28"  # good/valid days, the row's valid days (≤ any month's)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    filled = tmp_path / "filled.csv"
    filled.write_bytes(out.getvalue().encode("gbk"))
    code, result = ingest_json(path, str(filled))
    assert code == 0 and result["new"] == 4, result

    # XLSX: the first sheet filled in; the indicator list and help sheets stay
    book = openpyxl.load_workbook(xlsx_file)
    assert book.sheetnames == ["数据 Data", "指标 Indicators", "说明 Help"]
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=pm25 + 1, value=34.0)
    sheet.cell(row=4, column=pm25 + 1, value=30.0)
    book.save(xlsx_file)
    code, result = ingest_json(path, str(xlsx_file))
    assert code == 0 and (result["new"], result["changed"]) == (1, 1), result


def test_every_error_code_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in [*ue.MESSAGES, *ue.UNDO_MESSAGES]:
        assert f"`{code}`" in readme, code
    assert uploads.PAUSE_ENV in readme


def _large_file(tmp_path: Path, rows: int) -> Path:
    sys.path.insert(0, str(FIXTURES))
    import make_uploads  # type: ignore[import-not-found]

    indicators = [(i.code, i.unit, (i.valid_min + i.valid_max) / 2) for i in cat.load().indicators]
    path = tmp_path / "large.csv"
    make_uploads.large_long_csv(path, indicators, rows)
    return path


def test_kill_9_in_the_middle_of_a_commit_leaves_no_partial_batch(tmp_path):
    path = tmp_path / "kill.duckdb"
    assert run_cli("init", db=path).returncode == 0
    big = _large_file(tmp_path, 30000)
    before = counts(path)
    env = {**os.environ, uploads.PAUSE_ENV: "120"}
    proc = subprocess.Popen(
        [INDICATORS, "ingest", str(big), "--db", str(path)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        line = ""
        while "paused inside the commit transaction" not in line:
            assert time.monotonic() < deadline and proc.poll() is None, "ingest never reached its commit"
            line = proc.stderr.readline()  # type: ignore[union-attr]
        # 30000 rows are inserted and the transaction is open: kill the process there
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    assert counts(path) == before  # no batch, no revision of it
    code, result = ingest_json(path, str(big))  # the store is intact and takes the same file
    assert code == 0 and result["new"] == 30000
    assert counts(path) == (before[0] + 1, before[1] + 30000)


READER = """
import sys, time
from pathlib import Path
from indicators.store import db
path, stop = sys.argv[1], Path(sys.argv[2])
reads, seen = 0, []
while True:
    done = stop.exists()
    with db.connect(path, read_only=True) as con:
        seen.append(con.execute("SELECT count(*) FROM current_measurements").fetchone()[0])
    reads += 1
    if done:
        break
    time.sleep(0.005)
print(reads, seen[0], seen[-1])
"""


def test_ingest_while_another_process_keeps_reading(tmp_path):
    path = tmp_path / "shared.duckdb"
    assert run_cli("init", db=path).returncode == 0
    big = _large_file(tmp_path, 5000)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(path), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.5)  # the reader is reading
        # the writer holds the file for 1.5 s inside its commit while the reader keeps trying
        writer = run_cli("ingest", str(big), "--format", "json", db=path, env={uploads.PAUSE_ENV: "1.5"})
        stop.touch()
        out, err = reader.communicate(timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert writer.returncode == 0, writer.stderr
    assert json.loads(writer.stdout)["new"] == 5000
    assert reader.returncode == 0, err
    reads, first, last = map(int, out.split())
    assert reads > 10 and first == 0 and last == 5000


@pytest.mark.parametrize("name", ["ingest", "template", "history", "undo"])
def test_upload_commands_are_in_the_readme(name):
    assert f"indicators {name}" in (ROOT / "README.md").read_text(encoding="utf-8")
