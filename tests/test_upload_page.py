"""The upload page under AppTest: it runs in both languages, undoes a batch, and says 'busy' (never the error)
while another process holds the database."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from indicators import db, uploads
from indicators.actor import Actor


def page(path, monkeypatch, lang: str = "zh") -> AppTest:
    monkeypatch.setenv("DABIAO_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    return at.switch_page("pages/upload.py")


def text(at: AppTest) -> str:
    parts = [*at.title, *at.subheader, *at.caption, *at.markdown]
    parts += [*at.success, *at.warning, *at.error, *at.info]
    return "\n".join(str(p.value) for p in parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_runs_in_both_languages(demo_db, monkeypatch, lang):
    at = page(demo_db, monkeypatch, lang).run()
    assert not at.exception, at.exception
    assert ("数据上报 Upload" if lang == "zh" else "Upload monthly data") in text(at)
    assert at.selectbox(key="up_city").value == "lingwu"
    assert len(at.get("download_button")) == 2


def test_undo_from_the_page(demo_db, tmp_path, monkeypatch):
    path = tmp_path / "page.duckdb"
    shutil.copy(demo_db, path)
    data = "城市,指标,月份,数值,单位\n灵武市,pm25,2020-03,35,ug/m3\n".encode()
    batch = uploads.ingest_file(path, data, "march.csv", Actor("web", frozenset({"lingwu"}))).batch_id
    at = page(path, monkeypatch).run()
    assert at.selectbox(key="up_undo_pick").value == batch  # the demo batch (every city) is not offered
    at.button(key="up_undo").click().run()
    assert not at.exception, at.exception
    assert f"已撤销批次 {batch}" in text(at)
    with db.connect(path, read_only=True) as con:
        assert con.execute("SELECT batch_id FROM batch_undos").fetchall() == [(batch,)]


HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(40)"


def test_a_busy_database_shows_the_busy_label(demo_db, tmp_path, monkeypatch):
    path = tmp_path / "busy.duckdb"
    shutil.copy(demo_db, path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"  # type: ignore[union-attr]
        at = page(path, monkeypatch).run()
    finally:
        holder.kill()
        holder.wait()
    assert not at.exception, at.exception
    shown = text(at)
    assert "数据库正忙" in shown and "lock" not in shown.lower() and str(path) not in shown
