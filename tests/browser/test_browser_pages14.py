"""Issue 14 in headless Chromium: meeting mode in and out, the upload that would blank a city warns before
its commit, nothing wider than its container at 1024 and 390 px, and a screenshot of every page at 1440,
1024 and 390 px in both languages (build/screenshots/pages14_*)."""

from __future__ import annotations

import pytest
from browser import STAFF, chromium, screenshot_path, served_app, sign_in, wait_idle, with_accounts

pytestmark = pytest.mark.browser
WIDTHS = (1440, 1024, 390)
PAGES = ["overview", "city", "indicator", "department", "scorecard", "targets", "upload"]

# elements whose content runs past their own box (a badge out of its card, a clipped button label);
# boxes that scroll sideways on purpose (.scroll-x, .sc, data frames) are the containers, not the culprits
OVERFLOWS = """
() => {
  const out = [];
  const width = document.documentElement.clientWidth;
  const page = document.documentElement.scrollWidth;
  if (page > width + 1) out.push('page ' + page);
  for (const b of document.querySelectorAll('button')) {
    const label = b.innerText.trim();
    if (label && b.offsetParent && b.scrollWidth > b.clientWidth + 1) out.push('button ' + label);
  }
  for (const card of document.querySelectorAll('[data-testid=stVerticalBlockBorderWrapper]')) {
    const box = card.getBoundingClientRect();
    for (const s of card.querySelectorAll('.badges span')) {
      const r = s.getBoundingClientRect();
      if (r.width && r.right > box.right + 1) out.push('badge ' + s.innerText);
    }
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = with_accounts(tmp_path_factory.mktemp("browser14") / "app.duckdb")
    with served_app(path) as url:
        yield url, path


def open_page(browser, url: str, name: str, width: int, lang: str = "zh"):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 1200})
    page.goto(f"{url}/{name}")
    page.locator("[data-testid=stMain] h1").first.wait_for(timeout=90_000)  # every page has a title
    settled(page)
    if lang == "en":
        if width < 700:  # the sidebar is collapsed on a phone
            page.locator(
                "[data-testid=stExpandSidebarButton], [data-testid=stSidebarCollapsedControl] button"
            ).first.click()
            wait_idle(page)
        page.get_by_text("English").click()
        page.locator("[data-testid=stMain] h1").first.wait_for(timeout=60_000)
        settled(page)
    return page


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """The run finished and its elements replaced the skeletons Streamlit draws while it runs."""
    wait_idle(page)
    for _ in range(20):  # charts below the fold may keep a placeholder: give up waiting after 10 s
        if not page.locator("[data-testid=stSkeleton]").count():
            break
        page.wait_for_timeout(500)
    page.wait_for_timeout(800)


def test_meeting_mode_in_and_out(served):
    url, _ = served
    with chromium() as browser:
        page = open_page(browser, url, "scorecard", 1440)
        page.get_by_text("会议模式").first.click()
        wait_idle(page)
        assert not page.locator("[data-testid=stSidebar]").is_visible()
        page.get_by_role("button", name="会议模式 ✕").click()
        wait_idle(page)
        page.screenshot(path=screenshot_path("pages14_meeting_left"))
        assert page.locator("[data-testid=stSidebar]").is_visible()
        assert not page.locator("[data-testid=stException]").count()
        assert "Ask ChatGPT" not in page.inner_text("body")


def test_an_upload_that_would_blank_the_city_warns_before_the_commit(served, tmp_path):
    url, _ = served
    data = "城市,指标,月份,数值,单位\n" + "".join(
        f"灵武市,{code},2026-11,30,{unit}\n"
        for code, unit in (("pm25", "ug/m3"), ("pm10", "ug/m3"), ("good_air_days_ratio", "%"))
    )
    file = tmp_path / "november.csv"
    file.write_text(data, encoding="utf-8")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(f"{url}/upload")
        page.get_by_text("数据上报 Upload").first.wait_for(timeout=60_000)
        wait_idle(page)
        sign_in(page, STAFF)
        page.locator("input[type=file]").set_input_files(str(file))
        page.get_by_text("提交后状态的变化").wait_for(timeout=90_000)
        wait_idle(page)
        page.screenshot(path=screenshot_path("pages14_upload_blank_warning"), full_page=True)
        body = page.inner_text("body")
        assert "评价月份由 2020-09 变为 2026-11" in body and "将“无数据”" in body
        assert "严重滞后" in body or "已达标" in body  # the old statuses beside the new ones
        commit = page.get_by_role("button", name="提交", exact=True)
        assert commit.is_disabled()
        page.get_by_text("我已了解：提交后该城市多数目标将暂无数据").click()
        wait_idle(page)
        assert page.get_by_role("button", name="提交", exact=True).is_enabled()


@pytest.mark.parametrize("width", [1024, 390])
def test_nothing_is_wider_than_its_container(served, width):
    url, _ = served
    with chromium() as browser:
        for name in ("overview", "scorecard"):
            page = open_page(browser, url, name, width)
            wrong = page.evaluate(OVERFLOWS)
            assert wrong == [], (name, width, wrong)
            page.close()


def test_every_page_at_three_widths_in_both_languages(served):
    url, _ = served
    with chromium() as browser:
        for lang in ("zh", "en"):
            for width in WIDTHS:
                for name in PAGES:
                    page = open_page(browser, url, name, width, lang)
                    page.screenshot(path=screenshot_path(f"pages14_{name}_{width}_{lang}"), full_page=True)
                    body = page.inner_text("body")
                    assert not page.locator("[data-testid=stException]").count(), (name, width, lang)
                    assert "Choose options" not in body and "Page not found" not in body
                    page.close()
