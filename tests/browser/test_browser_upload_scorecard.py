"""Journey: a staff upload in the browser changes what the scorecard shows."""

from __future__ import annotations

import pytest
from browser import STAFF, chromium, screenshot_path, served_app, sign_in, wait_idle, with_accounts
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_upload_is_reflected_in_the_scorecard(tmp_path):
    # Lingwu: "受污染耕地安全利用率达到98%以上" by 2020; the demo ends 2020-09. October reports 99.5 %.
    upload = tmp_path / "lingwu_2020_10.csv"
    upload.write_text(
        "城市,指标,月份,数值,单位\n灵武市,受污染耕地安全利用率,2020年10月,99.5,%\n", encoding="utf-8"
    )
    with served_app(with_accounts(tmp_path / "app.duckdb")) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(f"{url}/upload")
        page.get_by_text("数据上报 Upload").first.wait_for(timeout=120_000)
        wait_idle(page)
        sign_in(page, STAFF)
        page.locator("input[type=file]").set_input_files(str(upload))
        page.get_by_text("第三步：预览变更").wait_for(timeout=60_000)
        wait_idle(page)
        page.get_by_role("button", name="提交", exact=True).click()
        page.get_by_text("已提交，批次号").wait_for(timeout=60_000)
        wait_idle(page)

        page.goto(f"{url}/scorecard")
        page.locator("h1").first.wait_for(timeout=60_000)
        wait_idle(page)
        page.get_by_text("城市", exact=True).first.wait_for()
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.locator("[data-testid='stMultiSelect']").first.locator("input").click()
        page.get_by_role("option", name="灵武市 Lingwu").click()
        page.locator("h1").first.click()
        wait_idle(page)
        row = page.locator("tr", has_text="受污染耕地安全利用率").filter(has_text="99.5").first
        expect(row).to_be_visible(timeout=60_000)
        assert "✓ 已达标" in row.inner_text()
        page.screenshot(path=screenshot_path("journey_upload_scorecard"))
