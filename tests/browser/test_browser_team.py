"""A team deployment in headless Chromium (issue 18): two app servers over one PostgreSQL database. An upload
made on one server is what the other shows, and an undo made on the other is what the first shows."""

from __future__ import annotations

import re

import pytest
from browser import STAFF, chromium, screenshot_path, served_app, sign_in, wait_idle, with_accounts

from indicators.store import db

pytestmark = pytest.mark.browser

# 灵武市's forest coverage (森林覆盖率, a level: the latest month is the value) in the demo data is 11.55 % at
# 2020-09, its latest month, against a target of at least 16.5 %. One new month: 16.61 % in 2020-10.
UPLOAD = "城市,指标,月份,数值,单位,备注\n灵武市,森林覆盖率,2020-10,16.61,%,两台服务器\n"
SCORECARD = "/scorecard?city=lingwu"


def forest_row(page) -> str:  # type: ignore[no-untyped-def]
    """The scorecard's text as the page shows it, filtered to 灵武市 (forest coverage is one of its rows)."""
    wait_idle(page)
    return page.inner_text("[data-testid=stMain]")


def open_scorecard(page, url: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(url + SCORECARD)
    page.locator("[data-testid=stMain]").get_by_text("森林覆盖率").first.wait_for(timeout=60_000)
    return forest_row(page)


def test_an_upload_on_one_server_is_seen_on_the_other(tmp_path, pg_cluster):
    address = pg_cluster.create()
    with_accounts(address)  # what the first server's start does, plus a staff account of 灵武市
    csv = tmp_path / "forest.csv"
    csv.write_text(UPLOAD, encoding="utf-8")
    with served_app(address, logs=tmp_path) as first, served_app(address, logs=tmp_path) as second:
        with chromium() as browser:
            viewer = browser.new_page(viewport={"width": 1440, "height": 1400})
            before = open_scorecard(viewer, second)
            assert "11.55" in before and "16.61" not in before, before

            staff = browser.new_page(viewport={"width": 1440, "height": 1400})
            staff.goto(f"{first}/upload")
            staff.get_by_text("数据上报 Upload").first.wait_for(timeout=60_000)
            wait_idle(staff)
            sign_in(staff, STAFF)
            staff.locator("input[type=file]").set_input_files(str(csv))
            staff.get_by_text("第三步：预览变更").wait_for(timeout=60_000)
            wait_idle(staff)
            staff.get_by_role("button", name="提交", exact=True).click()
            staff.get_by_text("已提交，批次号").wait_for(timeout=60_000)
            wait_idle(staff)
            assert "新增 1 项，修改 0 项" in staff.inner_text("body")

            with db.connect(address, read_only=True) as con:
                batch, actor = con.execute("SELECT id, actor FROM batches WHERE kind = 'upload'").fetchone()
            assert actor == STAFF[0]

            # the other server, which wrote nothing: its next page run shows the new month
            after = open_scorecard(viewer, second)
            viewer.screenshot(path=screenshot_path("team_second_server_after_upload"), full_page=True)
            assert "16.61" in after and "11.55" not in after, after
            assert "已达标" in after  # 16.61 % ≥ 16.5 %
            assert re.search(r"2020-10", after), after

            # undone on the second server (an administrator's or the staff's own batch): the first sees it
            staff2 = browser.new_page(viewport={"width": 1440, "height": 1400})
            staff2.goto(f"{second}/upload")
            staff2.get_by_text("数据上报 Upload").first.wait_for(timeout=60_000)
            wait_idle(staff2)
            sign_in(staff2, STAFF)
            staff2.get_by_role("button", name="撤销该批次").click()
            staff2.get_by_role("button", name="确认撤销").click()
            staff2.get_by_text(f"已撤销批次 {batch}").wait_for(timeout=60_000)

            back = open_scorecard(viewer, first)
            assert "11.55" in back and "16.61" not in back, back
