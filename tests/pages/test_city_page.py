"""The city page (issue 17): every card of the chosen domain drawn in its order, its charts and status strips
built once per database write and shared, and each strip the same as the one status_strip draws."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from indicators.reporting import charts
from indicators.status import service as status
from indicators.vocabulary import STATUS, status_label
from pages import cache
from pages import meeting as meeting_ui

LINGWU_AGRICULTURE = 17  # the demo's 灵武市 has 17 agriculture targets (the first domain), all with values


def _page(path, monkeypatch, lang: str = "zh") -> AppTest:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DABIAO_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = lang
    return at.switch_page("pages/city.py")


def _shown(path, city: str, domain: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The target ids of a city's domain in the page's order (active first, closed after), from the status
    path itself."""
    ev = status.status(path, city, None, explain=False)
    mine = ev[ev.domain == domain].sort_values("deadline_reached", kind="stable")
    return [str(t) for t in mine.target_id]


def _cards(at: AppTest) -> list[str]:
    """The target ids of the cards drawn, by their data buttons (csv_<target id>), column by column."""
    return [b.key[4:] for b in at.get("download_button") if b.key and b.key.startswith("csv_")]


def _columns(ids: list[str]) -> list[str]:
    """Cards laid out in two columns (the first card left, the second right, ...), read column by column."""
    return ids[0::2] + ids[1::2]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_card_of_the_domain_is_drawn_in_its_order(demo_db, monkeypatch, lang):
    order = _shown(demo_db, "lingwu", "agriculture")
    assert len(order) == LINGWU_AGRICULTURE
    at = _page(demo_db, monkeypatch, lang).run()
    assert not at.exception, at.exception
    assert _cards(at) == _columns(order)
    assert len(at.get("plotly_chart")) == 1 + LINGWU_AGRICULTURE  # the statuses per month, one chart a card
    table = [h.value for h in at.get("html") if "<table" in h.value]
    assert table and table[-1].count("<tr") > LINGWU_AGRICULTURE  # the gap table: every domain's targets


def test_another_domain_draws_its_own_cards(demo_db, monkeypatch):
    at = _page(demo_db, monkeypatch).run()
    at.radio(key="city_domain_lingwu").set_value("ecology").run()  # 4 targets
    assert not at.exception, at.exception
    ecology = _shown(demo_db, "lingwu", "ecology")
    assert len(ecology) == 4
    assert _cards(at) == _columns(ecology)


def test_the_shared_chart_is_the_chart_of_the_target(demo_db, monkeypatch):
    monkeypatch.setenv("DABIAO_DB", str(demo_db))
    ev = status.status(demo_db, "lingwu", None, explain=False)
    row = ev.iloc[0]
    meas = cache.measurements(city="lingwu")
    history = status.evaluation_series(meas, row.city, row.indicator, row.aggregation, row.as_of, row.t_base)
    expected = charts.target_chart(row, history, "en")
    shared_history, chart = cache.target_chart(row, None, "en")
    pd.testing.assert_frame_equal(shared_history, history)
    assert chart is not None and chart.to_json() == expected.to_json()  # what the browser is sent
    assert cache.target_chart(row, None, "en")[1] is chart  # built once, then shared


def test_a_strip_per_target_its_first_row_none_without_a_status():
    months = [pd.Timestamp("2020-01-31"), pd.Timestamp("2020-02-29"), pd.Timestamp("2020-03-31")]
    frame = pd.DataFrame(
        [["a", None, "met", "lagging"], ["b", None, None, None], ["a", "missed", "missed", "missed"]],
        columns=["target_id", *months],
        dtype=object,
    )
    strips = meeting_ui.strip_html(frame, "zh")
    assert set(strips) == {"a", "b"} and strips["b"] == ""
    cells = strips["a"].split("<span ")[1:]
    assert len(cells) == 2  # January had no status
    assert f"2020-02 {status_label('met', 'zh')}" in cells[0] and f"#{STATUS['met'].colour}" in cells[0]
    assert f"2020-03 {status_label('lagging', 'zh')}" in cells[1]
    assert f"#{STATUS['lagging'].colour}" in cells[1]
    assert strips["a"].startswith("<div title='状态变化（每月月末）'")
