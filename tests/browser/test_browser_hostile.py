"""A hostile upload in headless Chromium (issue 13): a unit written `9**9**9` (which pint's expression parser
never finished evaluating, freezing the server for every visitor) is refused at once as unknown_unit, and
another session loads the overview meanwhile."""

from __future__ import annotations

import time

import pytest
from browser import STAFF, chromium, screenshot_path, served_app, sign_in, wait_idle, with_accounts
from conftest import FIXTURES

pytestmark = pytest.mark.browser
HOSTILE = FIXTURES / "hostile"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = with_accounts(tmp_path_factory.mktemp("browser_hostile") / "app.duckdb")
    with served_app(path) as url:
        yield url


def test_a_power_tower_unit_is_refused_and_another_session_still_loads(served):
    url = served
    with chromium() as browser:
        uploader = browser.new_page(viewport={"width": 1400, "height": 2000})
        uploader.goto(f"{url}/upload")
        uploader.get_by_text("数据上报 Upload").first.wait_for(timeout=60_000)
        wait_idle(uploader)
        sign_in(uploader, STAFF)
        uploader.get_by_role("button", name="下载模板 Excel").wait_for(timeout=30_000)
        started = time.monotonic()
        uploader.locator("input[type=file]").set_input_files(str(HOSTILE / "unit_power_tower.csv"))
        visitor = browser.new_page(viewport={"width": 1400, "height": 1200})
        visitor.goto(url)
        visitor.get_by_text("总览 Overview").first.wait_for(timeout=30_000)
        wait_idle(visitor)
        uploader.get_by_text("unknown_unit").first.wait_for(timeout=30_000)
        assert time.monotonic() - started < 30
        wait_idle(uploader)
        uploader.screenshot(path=screenshot_path("upload_hostile_unit_zh"), full_page=True)
        body = uploader.inner_text("body")
        assert "无法识别的单位“9**9**9”" in body and "Traceback" not in body
