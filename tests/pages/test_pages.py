"""Every dashboard page runs under AppTest without an exception, in Chinese and in English."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

PAGES = ["overview", "city", "indicator", "department", "scorecard", "targets"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_runs(demo_db, monkeypatch, page, lang):
    monkeypatch.setenv("DABIAO_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception


def test_scorecard_meeting_mode_and_filters(demo_db, monkeypatch):
    monkeypatch.setenv("DABIAO_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/scorecard.py").run()
    at.multiselect(key="sc_status").set_value(["off_track"]).run()
    assert not at.exception
    at.toggle(key="sc_meeting").set_value(True).run()
    assert not at.exception
    at.button(key="sc_next").click().run()
    assert not at.exception


def test_as_of_a_year_back_changes_statuses(demo_db, monkeypatch):
    import datetime as dt

    monkeypatch.setenv("DABIAO_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/scorecard.py").run()
    before = "".join(str(h.value) for h in at.get("html"))
    at.date_input(key="as_of").set_value(dt.date(2019, 9, 30)).run()
    assert not at.exception
    after = "".join(str(h.value) for h in at.get("html"))
    assert before != after


def test_leaving_meeting_mode_shows_the_sidebar_again(demo_db, monkeypatch):
    monkeypatch.setenv("DABIAO_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/scorecard.py").run()
    at.toggle(key="sc_meeting").set_value(True).run()
    at.button(key="sc_exit").click().run()
    assert not at.exception, at.exception
    assert at.toggle(key="sc_meeting").value is False
    assert "红绿灯" in at.title[0].value  # the normal page again, not the meeting screen
