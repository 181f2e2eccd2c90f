"""Views that keep their state and can be shared, in headless Chromium: the language, the as-of date and the
city live in the page address; the menu keeps them on every page, the back button
restores them and the copied address opens the same view in a fresh browser."""

from __future__ import annotations

import pytest
from browser import chromium, screenshot_path, served_app, wait_idle

pytestmark = pytest.mark.browser
MENU = [
    "Overview 总览",
    "City 城市",
    "Indicator 指标",
    "Department 责任单位",
    "Scorecard 红绿灯",
    "Targets 目标",
]
MENU += ["Upload 数据上报"]
KEPT = ("lang=en", "as_of=2024-06-30", "city=nanchang")


def wait_address(page, *parts: str) -> None:  # type: ignore[no-untyped-def]
    """Until the address holds every part (query parameters change without a navigation)."""
    page.wait_for_function(
        "parts => parts.every(p => location.href.includes(p))", arg=list(parts), timeout=60_000
    )


def as_of_value(page) -> str:  # type: ignore[no-untyped-def]
    field = page.locator("[data-testid=stSidebar] [data-testid=stDateInput]")
    return "".join(field.inner_text().split()) if field.count() else ""  # "Asof2024-06-30"


def test_language_as_of_and_city_are_kept_by_the_menu_back_and_a_copied_link(tmp_path):
    with served_app(tmp_path / "app.duckdb") as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/city")
        page.get_by_text("城市目标进展").wait_for(timeout=120_000)
        wait_idle(page)
        page.get_by_text("English").click()
        page.get_by_text("City progress").wait_for(timeout=60_000)
        wait_idle(page)
        page.get_by_role("spinbutton", name="year, As of").click(timeout=90_000)
        page.keyboard.type("20240630")
        page.keyboard.press("Enter")  # applies the date, as leaving the field does
        wait_address(page, "as_of=2024-06-30")
        wait_idle(page)
        page.locator("[data-testid=stMain] [data-testid=stSelectbox]").first.click()
        page.get_by_role("option", name="Nanchang 南昌市").click()
        wait_address(page, "city=nanchang")
        wait_idle(page)
        for entry in MENU:
            page.locator("[data-testid=stSidebar]").get_by_role("link", name=entry).click()
            wait_address(page, *KEPT)
            wait_idle(page)
            page.locator("[data-testid=stSidebar]").get_by_text("Sign in").first.wait_for(timeout=60_000)
            shown = as_of_value(page)
            assert shown == "" or shown.endswith("2024-06-30"), (entry, shown)  # "": a page without the date
        page.screenshot(path=screenshot_path("views_upload_kept_en"))
        for _ in MENU[1:]:
            page.go_back()
            page.wait_for_timeout(300)
            wait_idle(page)
            assert all(k in page.url for k in KEPT), page.url
        assert page.url.split("?")[0].endswith("/overview")
        copied = page.url.replace("/overview", "/city")

        fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        fresh.goto(copied)
        fresh.get_by_text("City progress").wait_for(timeout=120_000)
        wait_idle(fresh)
        fresh.locator("[data-testid=stSidebar] [data-testid=stDateInput]").wait_for(timeout=60_000)
        assert "2024-06-30" in as_of_value(fresh), as_of_value(fresh)
        fresh.screenshot(path=screenshot_path("views_copied_link_city_en"))
        chosen = fresh.locator("[data-testid=stMain] [data-testid=stSelectbox] input").first
        assert chosen.input_value() == "Nanchang 南昌市"
        fresh.get_by_role("spinbutton", name="year, As of").click(timeout=60_000)
        fresh.keyboard.type("20231231")
        fresh.locator("h1").first.click()  # leaving the field applies the date too
        wait_address(fresh, "as_of=2023-12-31", "city=nanchang", "lang=en")
