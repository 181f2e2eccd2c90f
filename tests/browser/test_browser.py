"""Real-browser journeys: the app as served by `streamlit run`, in headless Chromium."""

from __future__ import annotations

import pytest
from browser import chromium, screenshot_path, served_app, wait_idle

pytestmark = pytest.mark.browser

# One clause per seed plan, copied from the seed files, that the targets page must show.
QUOTES = {
    "灵武市": "受污染耕地安全利用率达到98%以上",
    "莲都区": "市区细颗粒物(PM2.5)年均浓度达到32微克/立方米",
    "南昌市": "全市细颗粒物(PM2.5)年平均浓度保持在35微克/立方米以下",
    "江津区": "空气质量优良天数达到300天以上",
    "常德市": "市城区剩下的9台10蒸吨及以下燃煤锅炉关闭或改烧任务3月底前必须结账",
}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    # The database does not exist yet: the app must build it (init + demo) on its first start.
    db = tmp_path_factory.mktemp("browser") / "fresh.duckdb"
    with served_app(db) as url:
        yield url
    assert db.exists()


def test_targets_page_shows_every_city_in_chinese(app_url, catalog):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{app_url}/targets")
        page.get_by_text("规划目标 Targets").wait_for(timeout=60_000)
        page.get_by_text("示例数据 demo data").first.wait_for()
        wait_idle(page)
        page.screenshot(path=screenshot_path("targets_zh"))
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="全部城市 All cities").click()
        # 176 catalog targets, 11 of them restating another (9 in Lingwu's two plans, 2 in Liandu's):
        # each commitment is shown once, with all its clauses
        assert len(catalog.targets) == 176
        page.get_by_text("165 项目标").wait_for(timeout=30_000)
        page.get_by_text("常德市 Changde · ").first.wait_for(timeout=30_000)
        wait_idle(page)
        body = page.inner_text("body")
        for city, quote in QUOTES.items():
            assert city in body and quote in body, city
        page.screenshot(path=screenshot_path("targets_all_zh"), full_page=True)


def test_targets_page_in_english(app_url):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{app_url}/targets")
        page.get_by_text("规划目标 Targets").wait_for(timeout=60_000)
        page.get_by_text("English").click()
        page.get_by_text("Plan targets 规划目标").wait_for(timeout=30_000)
        wait_idle(page)
        body = page.inner_text("body")
        assert "Responsible" in body and "Clause" in body
        page.screenshot(path=screenshot_path("targets_en"))
