"""Issue 14 under AppTest: undo is confirmed and names its batch, a batch's contents and a value's history
are on the page, placeholders and labels are translated, plans are named by title, freshness is counted
per indicator and the city share does not rise when targets lose their data."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from indicators.accounts import auth, sessions
from indicators.accounts.actor import local_operator
from indicators.ingest import service as uploads
from indicators.store import db
from pages import session


@pytest.fixture(scope="module")
def staff_db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("pages14") / "staff.duckdb"
    shutil.copy(demo_db, path)
    auth.add_user(path, local_operator(), "lingwu_staff", "staff", ["灵武市"], "lingwu-pass-1")
    return path


def app(path, monkeypatch, page: str, lang: str = "zh", user: str | None = None) -> AppTest:
    monkeypatch.setenv("DABIAO_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    if user:  # a session made as the sign-in route makes it; the page reads its token as from the cookie
        token, _ = sessions.sign_in(path, user, "lingwu-pass-1")
        monkeypatch.setattr(session, "token", lambda: token)
    return at.switch_page(f"pages/{page}.py")


def everything(at: AppTest) -> str:
    parts = [*at.title, *at.subheader, *at.caption, *at.markdown, *at.success, *at.warning, *at.info]
    return "\n".join(str(p.value) for p in parts) + "".join(str(h.value) for h in at.get("html"))


def test_undo_asks_for_a_confirmation_naming_the_batch(staff_db, tmp_path, monkeypatch):
    path = tmp_path / "undo.duckdb"
    shutil.copy(staff_db, path)
    data = "城市,指标,月份,数值,单位\n灵武市,pm25,2020-03,35,ug/m3\n灵武市,pm10,2020-03,70,ug/m3\n".encode()
    batch = uploads.ingest_file(path, data, "march.csv", auth.actor(path, "lingwu_staff")).batch_id
    at = app(path, monkeypatch, "upload", user="lingwu_staff").run()
    assert not at.exception, at.exception
    assert f"批次 {batch} 的内容（2 个数值）" in everything(at)  # what the batch holds, before any undo
    at.button(key="up_undo").click().run()
    warning = " ".join(str(w.value) for w in at.warning)
    assert f"批次 {batch} · march.csv · lingwu_staff" in warning and "2 个数值" in warning
    with db.connect(path, read_only=True) as con:  # nothing is undone by the first click
        assert con.execute("SELECT count(*) FROM batch_undos").fetchone() == (0,)
    at.button(key="up_undo_cancel").click().run()
    assert not at.warning and at.button(key="up_undo")
    at.button(key="up_undo").click().run()
    at.button(key="up_undo_confirm").click().run()
    assert f"已撤销批次 {batch}" in everything(at)
    with db.connect(path, read_only=True) as con:
        assert con.execute("SELECT batch_id FROM batch_undos").fetchall() == [(batch,)]


def test_the_history_of_one_value_is_on_the_page(staff_db, monkeypatch):
    at = app(staff_db, monkeypatch, "upload", user="lingwu_staff").run()
    assert at.selectbox(key="up_hist_lingwu")
    at.selectbox(key="up_hist_lingwu").set_value("pm25").run()
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    assert list(table.columns) == ["月份", "版本", "新值", "批次", "类型", "上报人", "时间", "当前"]
    assert (table["类型"] == "示例").all() and (table["当前"] == "当前值").all()


def test_multiselect_placeholders_speak_the_language(demo_db, monkeypatch):
    for lang, word in (("zh", "请选择"), ("en", "Choose")):
        at = app(demo_db, monkeypatch, "scorecard", lang).run()
        assert at.multiselect(key="sc_city").placeholder == word


def test_plans_are_named_by_title_never_by_file_or_id(demo_db, monkeypatch):
    at = app(demo_db, monkeypatch, "targets").run()
    shown = everything(at)
    assert "000_77c061ea91c4815a.txt" not in shown and "lingwu-pc-" not in shown
    assert "灵武市" in shown and "方案" in shown


def test_freshness_counts_indicators_and_the_share_counts_every_target(demo_db, monkeypatch):
    at = app(demo_db, monkeypatch, "overview").run()
    assert not at.exception, at.exception
    shown = everything(at)
    assert "已报 " in shown and " / 应报 " in shown
    metric = at.metric[0]
    assert metric.label == "达标或序时推进" and "含无数据的" in (metric.help or "")


def test_no_collective_addressee_is_offered_as_a_department(demo_db, monkeypatch):
    at = app(demo_db, monkeypatch, "department").run()
    options = at.selectbox(key="department_name_zh").options
    assert options and not any(o.startswith("各") for o in options)
