"""The meeting journey in headless Chromium: 灵武市 staff write a note on the city page, an administrator
takes a snapshot on the scorecard, an upload turns 灵武市's PM2.5 target from lagging to off track, the
overview shows it under "since the last snapshot" (both languages), and the briefing book holds the note and
both statuses."""

from __future__ import annotations

import subprocess

import pytest
from browser import ADMIN, STAFF, chromium, screenshot_path, served_app, sign_in, wait_idle, with_accounts
from playwright.sync_api import expect

from indicators.accounts.actor import Actor
from indicators.ingest import service as uploads
from indicators.meeting import briefing, notes, snapshots

pytestmark = pytest.mark.browser

NOTE = "散煤治理推进中，预计11月回到序时"
PM25 = "lingwu-pc-pm25-2020"


def _open(browser, url):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=120_000)
    wait_idle(page)
    return page


def test_note_snapshot_upload_since_last_and_briefing(tmp_path):
    db = with_accounts(tmp_path / "meeting.duckdb")
    with served_app(db) as url, chromium() as browser:
        page = _open(browser, f"{url}/city")
        sign_in(page, STAFF, "sidebar")
        page.get_by_text("填写情况说明").click()
        form = page.locator("[data-testid=stForm]").filter(has_text="保存情况说明")
        form.locator("[data-testid=stSelectbox]").click()
        page.keyboard.type("PM2.5年均浓度")
        page.keyboard.press("Enter")
        form.locator("textarea").fill(NOTE)
        form.get_by_role("button", name="保存情况说明").click()
        wait_idle(page)
        expect(page.get_by_text("情况说明已保存")).to_be_visible(timeout=60_000)
        page.locator(".js-plotly-plot").nth(1).wait_for(timeout=60_000)  # the stacked chart, a target's chart
        wait_idle(page)
        page.screenshot(path=screenshot_path("meeting_city_note_strip"), full_page=True)
        assert [n.text for n in notes.notes(db, "lingwu").itertuples() if n.target_id == PM25] == [NOTE]

        page = _open(browser, f"{url}/scorecard")
        sign_in(page, ADMIN, "sidebar")
        page.get_by_text("建立会议快照（管理员）").click()
        page.get_by_label("快照名称，例如 2020年9月调度会").fill("九月调度会")
        page.get_by_role("button", name="建立快照").click()
        wait_idle(page)
        expect(page.get_by_text("快照「九月调度会」已建立")).to_be_visible(timeout=60_000)
        page.screenshot(path=screenshot_path("meeting_scorecard_snapshot_taken"), full_page=True)

        csv = "城市,指标,月份,数值,单位\n灵武市,PM2.5,2020-09,150,微克/立方米\n".encode()
        outcome = uploads.ingest_file(db, csv, "pm25.csv", Actor("chief", None, "admin"))
        assert outcome.exit_code == 0 and outcome.changed == 1

        page = _open(browser, f"{url}/overview")
        line = page.get_by_text("↓ 灵武市 PM2.5年均浓度：! 滞后 → ✕ 严重滞后")
        expect(line).to_be_visible(timeout=60_000)
        page.screenshot(path=screenshot_path("meeting_overview_since_last_zh"), full_page=True)
        page.locator("[data-testid=stSidebar]").get_by_text("English").click()
        wait_idle(page)
        expect(page.get_by_text("Since the last snapshot (九月调度会)")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("↓ Lingwu PM2.5 annual mean concentration").first).to_be_visible()
        page.screenshot(path=screenshot_path("meeting_overview_since_last_en"), full_page=True)

        page = _open(browser, f"{url}/scorecard")
        page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(has_text="会议快照").click()
        page.get_by_role("option", name="九月调度会").click()
        wait_idle(page)
        expect(page.get_by_text("会议快照「九月调度会」").first).to_be_visible(timeout=60_000)
        page.screenshot(path=screenshot_path("meeting_scorecard_showing_snapshot"), full_page=True)

    snapshots.create(db, Actor("chief", None, "admin"), "十月调度会")
    out = tmp_path / "briefing.pdf"
    briefing.write(db, "十月调度会", out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert f"{NOTE}（灵武填报员）" in flat
    # the status cell's lines come in turn with the indicator cell's beside it
    assert "严重滞后offPM2.5年均浓度track（原滞后PM2.5annualmeanwaslagging）" in flat
