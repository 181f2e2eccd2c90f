"""A team deployment in headless Chromium (issue 18): two app servers over one PostgreSQL database. An upload
made on one server is what the other shows, and an undo made on the other is what the first shows; eight
ingest processes at once while both servers serve pages."""

from __future__ import annotations

import json
import re

import pytest
from browser import STAFF, chromium, screenshot_path, served_app, sign_in, wait_idle, with_accounts

from indicators.store import db
from tests.backends import finished, start_ingests

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


def test_eight_ingest_processes_while_two_app_servers_serve(tmp_path, pg_cluster):
    """Month-end on PostgreSQL: 8 `indicators ingest` processes at once while two app servers serve pages and
    re-evaluate after each write. No process or page says busy, no server logs a traceback, every batch is
    whole, and both servers end up showing the last batch's value."""
    address = pg_cluster.create()
    with_accounts(address)
    months = [f"2020-{m:02d}" for m in range(1, 11)]  # 2020-01 … 2020-10: 灵武市's latest month becomes 10
    files = []
    for n in range(1, 9):  # file n: forest coverage 20 + n % in every month
        path = tmp_path / f"forest_{n}.csv"
        lines = ["城市,指标,月份,数值,单位,备注"] + [f"灵武市,森林覆盖率,{m},{20 + n},%," for m in months]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    with served_app(address, logs=tmp_path) as first, served_app(address, logs=tmp_path) as second:
        with chromium() as browser:
            pages = [browser.new_page(viewport={"width": 1440, "height": 1000}) for _ in (first, second)]
            running = start_ingests(address, files)
            # pages opened on both servers while the ingests run
            for page, url in zip(pages, (first, second), strict=True):
                page.goto(f"{url}/")
                page.get_by_text("总览").first.wait_for(timeout=60_000)
                wait_idle(page)
            done = finished(running)
            for r in done:
                assert r.returncode == 0, r.stderr
                assert "busy" not in (r.stdout + r.stderr).lower() and "Traceback" not in r.stderr
            batches = sorted(json.loads(r.stdout)["batch_id"] for r in done)
            assert len(set(batches)) == 8
            with db.connect(address, read_only=True) as con:
                per_batch = con.execute(
                    "SELECT batch_id, count(*), min(value), max(value) FROM measurements "
                    "WHERE batch_id IN (SELECT id FROM batches WHERE kind = 'upload') GROUP BY 1 ORDER BY 1"
                ).fetchall()
                last = con.execute(
                    "SELECT value FROM current_measurements WHERE city = 'lingwu' "
                    "AND indicator = 'forest_coverage' AND period = DATE '2020-10-01'"
                ).fetchone()
            # every batch whole: its 10 months, one value each, all its own file's
            assert [(b, n) for b, n, _, _ in per_batch] == [(b, 10) for b in batches]
            assert sorted(lo for _, _, lo, hi in per_batch if lo == hi) == [21.0 + n for n in range(8)]
            value = last[0]  # the batch numbered last wrote it
            assert value == next(lo for b, _, lo, _ in per_batch if b == batches[-1])
            for page, url in zip(pages, (first, second), strict=True):
                text = open_scorecard(page, url)
                assert f"{value:g}" in text and "2020-10" in text, text
                assert "is busy" not in text and "数据库正忙" not in text
    for log in tmp_path.glob("streamlit-*.log"):
        assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
