"""The upload page under AppTest: nobody writes without signing in; staff see only their cities, viewers are
refused; a session ended elsewhere (another tab, a removed account) signs the page out; undo;
and 'busy' (never the error) while another process holds the database."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from indicators.accounts import auth, sessions
from indicators.accounts.actor import local_operator
from indicators.ingest import service as uploads
from indicators.store import db
from pages import session

PASSWORDS = {"lingwu_staff": "lingwu-pass-1", "viewer1": "viewer-pass-1", "chief": "chief-pass-1"}


@pytest.fixture(scope="module")
def accounts_db(demo_db, tmp_path_factory) -> object:
    """The demo database with a staff account of 灵武市, a viewer and an administrator."""
    path = tmp_path_factory.mktemp("upload_page") / "accounts.duckdb"
    shutil.copy(demo_db, path)
    op = local_operator()
    auth.add_user(path, op, "lingwu_staff", "staff", ["灵武市"], PASSWORDS["lingwu_staff"])
    auth.add_user(path, op, "viewer1", "viewer", [], PASSWORDS["viewer1"])
    auth.add_user(path, op, "chief", "admin", [], PASSWORDS["chief"])
    return path


def page(path, monkeypatch, lang: str = "zh", user: str | None = None) -> AppTest:
    monkeypatch.setenv("DABIAO_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    if user:  # a session made as the sign-in route makes it; the page reads its token as from the cookie
        token, _ = sessions.sign_in(path, user, PASSWORDS[user])
        monkeypatch.setattr(session, "token", lambda: token)
    return at.switch_page("pages/upload.py")


def text(at: AppTest) -> str:
    parts = [*at.title, *at.subheader, *at.caption, *at.markdown]
    parts += [*at.success, *at.warning, *at.error, *at.info]
    return "\n".join(str(p.value) for p in parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_signing_in_nothing_can_be_uploaded(accounts_db, monkeypatch, lang):
    at = page(accounts_db, monkeypatch, lang).run()
    assert not at.exception, at.exception
    assert ("数据上报 Upload" if lang == "zh" else "Upload monthly data") in text(at)
    assert ("上报、撤销和修改目标需要登录" if lang == "zh" else "uploading, undoing and editing") in text(at)
    assert not at.get("file_uploader") and not at.get("download_button")
    assert [w.key for w in at.selectbox] == []
    form = "".join(h.proto.body for h in at.get("html"))  # posted to the server's route, not a widget
    assert "action='/auth/signin'" in form and "name='password'" in form and "name='account'" in form


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_staff_see_only_their_city(accounts_db, monkeypatch, lang):
    at = page(accounts_db, monkeypatch, lang, user="lingwu_staff").run()
    assert not at.exception, at.exception
    city = at.selectbox(key=f"up_city_{lang}")
    assert city.options == ["灵武市 Lingwu" if lang == "zh" else "Lingwu 灵武市"] and city.value == "lingwu"
    assert len(at.get("download_button")) == 2
    assert at.text_input(key="up_as").value == "lingwu_staff"


def test_an_administrator_may_report_for_every_city(accounts_db, monkeypatch):
    at = page(accounts_db, monkeypatch, user="chief").run()
    assert len(at.selectbox(key="up_city_zh").options) == 5


def test_a_viewer_is_refused(accounts_db, monkeypatch):
    at = page(accounts_db, monkeypatch, user="viewer1").run()
    assert not at.exception, at.exception
    assert "浏览者账号不能上报数据" in text(at)
    assert not at.get("file_uploader") and [w.key for w in at.selectbox] == []


def test_a_removed_account_is_signed_out(accounts_db, tmp_path, monkeypatch):
    path = tmp_path / "removed.duckdb"
    shutil.copy(accounts_db, path)
    at = page(path, monkeypatch, user="lingwu_staff").run()
    assert len(at.get("download_button")) == 2
    auth.remove_user(path, local_operator(), "lingwu_staff")
    at.run()
    assert "需要登录" in text(at) and not at.get("download_button")
    assert sessions.open_sessions(path, "lingwu_staff") == 0


def test_a_session_ended_elsewhere_signs_the_page_out(accounts_db, monkeypatch):
    # signing in and out happens in the server's routes (tests/web); the page follows the store
    at = page(accounts_db, monkeypatch, user="lingwu_staff").run()
    assert not at.exception and at.selectbox(key="up_city_zh").value == "lingwu"
    assert "action='/auth/signout'" in "".join(h.proto.body for h in at.sidebar.get("html"))
    sessions.sign_out(accounts_db, session.token())  # as another tab's sign-out does
    at.run()
    assert "需要登录" in text(at) and not at.get("download_button")


def test_undo_from_the_page(accounts_db, tmp_path, monkeypatch):
    path = tmp_path / "page.duckdb"
    shutil.copy(accounts_db, path)
    data = "城市,指标,月份,数值,单位\n灵武市,pm25,2020-03,35,ug/m3\n".encode()
    staff = auth.actor(path, "lingwu_staff")
    batch = uploads.ingest_file(path, data, "march.csv", staff).batch_id
    at = page(path, monkeypatch, user="lingwu_staff").run()
    assert at.selectbox(key="up_undo_pick").value == batch  # the demo batch (every city) is not offered
    at.button(key="up_undo").click().run()
    at.button(key="up_undo_confirm").click().run()  # the confirmation names the batch
    assert not at.exception, at.exception
    assert f"已撤销批次 {batch}" in text(at)
    with db.connect(path, read_only=True) as con:
        assert con.execute("SELECT batch_id FROM batch_undos").fetchall() == [(batch,)]
        audited = con.execute(
            "SELECT actor, action, batch_id FROM audit_log WHERE action = 'undo'"
        ).fetchall()
    assert len(audited) == 1 and audited[0][:2] == ("lingwu_staff", "undo")


HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(40)"


def test_a_busy_database_shows_the_busy_label(accounts_db, tmp_path, monkeypatch):
    path = tmp_path / "busy.duckdb"
    shutil.copy(accounts_db, path)
    at = page(path, monkeypatch, user="lingwu_staff")  # signed in before the file is held
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"  # type: ignore[union-attr]
        at.run()
    finally:
        holder.kill()
        holder.wait()
    assert not at.exception, at.exception
    shown = text(at)
    assert "数据库正忙" in shown and "lock" not in shown.lower() and str(path) not in shown
