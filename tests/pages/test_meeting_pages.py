"""The meeting's widgets under AppTest: notes beside "why", the snapshot selector and its mark, "since the
last snapshot", taking a snapshot (administrators), writing a note on the city page (the city's staff)."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from indicators.accounts import auth, sessions
from indicators.accounts.actor import local_operator
from indicators.meeting import notes, snapshots
from pages import session

PASSWORD = "page-test-pass"
TARGET = "lingwu-pc-pm25-2020"
NOTE = "燃煤锅炉改造推进中，预计10月回到序时"


@pytest.fixture
def meeting_db(demo_db, tmp_path):
    path = tmp_path / "meeting.duckdb"
    shutil.copy(demo_db, path)
    op = local_operator()
    auth.add_user(path, op, "lingwu_staff", "staff", ["灵武市"], PASSWORD)
    auth.add_user(path, op, "chief", "admin", [], PASSWORD)
    notes.add_note(path, op, TARGET, NOTE)
    snapshots.create(path, op, "九月调度会")
    return path


def page(path, monkeypatch, name: str, lang: str = "zh", user: str | None = None) -> AppTest:
    monkeypatch.setenv("DABIAO_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    if user:  # a session made as the sign-in route makes it; the page reads its token as from the cookie
        token, _ = sessions.sign_in(path, user, PASSWORD)
        monkeypatch.setattr(session, "token", lambda: token)
    return at.switch_page(f"pages/{name}")


def html_of(at: AppTest) -> str:
    return "".join(str(h.value) for h in at.get("html"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorecard_notes_column_snapshot_mark_and_since_last(meeting_db, monkeypatch, lang):
    at = page(meeting_db, monkeypatch, "scorecard.py", lang).run()
    assert not at.exception, at.exception
    assert NOTE in html_of(at) and ("情况说明" if lang == "zh" else "Owner&#x27;s note") in html_of(at)
    assert any("九月调度会" in str(m.value) for m in at.markdown)  # since the last snapshot: its name
    assert not at.warning  # the current data: no snapshot mark
    assert "meeting_briefing" not in [b.key for b in at.get("download_button")]  # not signed in as admin

    at.selectbox(key="meeting_snapshot").set_value("九月调度会").run()
    assert not at.exception, at.exception
    mark = str(at.warning[0].value)
    assert "九月调度会" in mark and ("会议快照" if lang == "zh" else "Meeting snapshot") in mark
    assert NOTE in html_of(at)


def test_an_administrator_takes_a_snapshot_on_the_scorecard(meeting_db, monkeypatch):
    at = page(meeting_db, monkeypatch, "scorecard.py", user="chief").run()
    at.text_input(key="meeting_snapshot_name").set_value("十月调度会")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert any("十月调度会" in str(s.value) for s in at.success)
    assert [s for s in snapshots.list_records(snapshots.listing(meeting_db)) if s["name"] == "十月调度会"]


def test_city_staff_write_a_note_on_the_city_page(meeting_db, monkeypatch):
    at = page(meeting_db, monkeypatch, "city.py", user="lingwu_staff")
    at.session_state["city_page_city_zh"] = "lingwu"
    at.run()
    assert not at.exception, at.exception
    assert "状态变化（每月月末）" in html_of(at) and "display:flex" in html_of(at)  # the status strips
    at.text_area(key="meeting_note_text_lingwu").set_value("新的情况说明")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert any("情况说明已保存" in str(s.value) for s in at.success)
    assert "新的情况说明" in set(notes.notes(meeting_db, "lingwu")["text"])


def test_no_note_form_for_another_citys_staff(meeting_db, monkeypatch):
    at = page(meeting_db, monkeypatch, "city.py", user="lingwu_staff")
    at.session_state["city_page_city_zh"] = "nanchang"
    at.run()
    assert not at.exception, at.exception
    assert "meeting_note_text_nanchang" not in [t.key for t in at.text_area]
