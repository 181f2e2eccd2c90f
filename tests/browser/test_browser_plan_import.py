"""Journey (issue 15): an administrator imports a plan document on the 目标导入 page, accepts two candidates,
edits one, rejects one and publishes; the new targets are on the Targets page and the scorecard; a staff
account of the plan's city uploads a value and sees its status."""

from __future__ import annotations

import pytest
from browser import ADMIN, chromium, screenshot_path, served_app, sign_in, wait_idle, with_accounts
from playwright.sync_api import expect

from indicators.accounts import auth
from indicators.accounts.actor import local_operator
from indicators.catalog import additions

pytestmark = pytest.mark.browser

# A small work plan of a city the catalog does not hold. The extractor finds four candidates in it, each
# for an indicator of the catalog: PM2.5 ≤ 35, good days ≥ 80 %, 12 catering businesses by 2021-06-30 and
# sewage treatment ≥ 95 %.
PLAN = """银川市兴庆区2021年大气污染防治工作方案

一、主要目标
到2021年底，细颗粒物（PM2.5）年均浓度控制在35微克/立方米以下，优良天数比例达到80%以上。（区生态环境局牵头）
2021年6月底前，完成12家餐饮企业油烟治理。
城市生活污水集中处理率达到95%以上。
"""
XINGQING = {
    "code": "xingqing",
    "name_zh": "兴庆区",
    "name_en": "Xingqing",
    "province_zh": "宁夏回族自治区",
    "province_en": "Ningxia",
    "parent_zh": "银川市",
    "parent_en": "Yinchuan",
    "level": "district",
    "source_file": "test",
    "aliases": [],
}
STAFF = ("兴庆填报员", "xingqing-staff-pass")


def card(page, n: int):  # type: ignore[no-untyped-def]
    return page.locator(f".st-key-pi_card_{n}")


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Let the runs an action started finish (a click during a rerun can be lost)."""
    page.wait_for_timeout(1500)
    wait_idle(page)


def decide(page, n: int, button: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    settle(page)
    card(page, n).get_by_role("button", name=button, exact=True).click()
    page.get_by_text(f"#{n} · {shown}").wait_for(timeout=60_000)
    settle(page)


def test_import_review_publish_then_staff_upload(tmp_path):
    db = with_accounts(tmp_path / "app.duckdb")
    additions.add_city(db, local_operator(), XINGQING)
    auth.add_user(db, local_operator(), STAFF[0], "staff", ["兴庆区"], STAFF[1])
    document = tmp_path / "兴庆区方案.txt"
    document.write_text(PLAN, encoding="gbk")  # a GBK text file, as many bureaus' sites serve them
    # 15 catering businesses reported in May 2021 (monthly increments): the edited target ≥ 15 by June is met
    values = tmp_path / "xingqing_2021_05.csv"
    values.write_text(
        "城市,指标,月份,数值,单位\n兴庆区,公共机构食堂和餐饮业油烟治理数量,2021年5月,15,家\n",
        encoding="utf-8",
    )
    with served_app(db) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 1600})
        page.goto(f"{url}/plan_import")
        page.get_by_text("目标导入 Plan import").first.wait_for(timeout=120_000)
        wait_idle(page)
        sign_in(page, ADMIN)
        form = page.locator("[data-testid=stForm]").first
        form.locator("[data-testid=stSelectbox]").click()
        page.get_by_role("option", name="兴庆区").click()
        form.locator("input[type=file]").set_input_files(str(document))
        wait_idle(page)
        form.get_by_role("button", name="导入").click()
        page.get_by_text("已导入：规划 1，4 个候选目标").wait_for(timeout=60_000)
        settle(page)
        expect(card(page, 1).locator("mark")).to_have_text(
            "到2021年底，细颗粒物（PM2.5）年均浓度控制在35微克/立方米以下"
        )
        page.screenshot(path=screenshot_path("plan_import_zh_1440"), full_page=True)

        decide(page, 1, "接受", "已接受")
        decide(page, 2, "接受", "已接受")
        card(page, 3).get_by_text("修改并接受").click()
        edit = card(page, 3).locator("[data-testid=stForm]")
        edit.get_by_label("目标值").fill("15")
        decide(page, 3, "保存并接受", "已接受")
        decide(page, 4, "拒绝", "已拒绝")
        expect(page.get_by_text("4 个候选：已接受 3，已拒绝 1，待审核 0")).to_be_visible(timeout=60_000)
        expect(card(page, 3)).to_contain_text("完成 15 家")
        expect(card(page, 3)).to_contain_text("已接受")
        expect(card(page, 4)).to_contain_text("已拒绝")
        wait_idle(page)
        page.screenshot(path=screenshot_path("plan_import_reviewed_zh_1440"), full_page=True)
        page.get_by_role("button", name="发布", exact=True).click()
        page.get_by_text("已发布：3 项目标").wait_for(timeout=60_000)
        wait_idle(page)

        page.goto(f"{url}/targets")
        page.locator("h1").first.wait_for(timeout=60_000)
        wait_idle(page)
        page.locator("[data-testid=stMain] [data-testid=stSelectbox]").first.click()
        page.get_by_role("option", name="兴庆区 Xingqing").click()
        wait_idle(page)
        main = page.locator("[data-testid=stMain]")
        expect(main).to_contain_text("3 项目标")
        expect(main).to_contain_text("2021年6月底前，完成12家餐饮企业油烟治理")
        expect(main).not_to_contain_text("城市生活污水集中处理率达到95%以上")  # rejected

        page.goto(f"{url}/scorecard")
        page.locator("h1").first.wait_for(timeout=60_000)
        wait_idle(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.locator("[data-testid='stMultiSelect']").first.locator("input").click()
        page.get_by_role("option", name="兴庆区 Xingqing").click()
        page.locator("h1").first.click()
        wait_idle(page)
        for indicator in ("PM2.5", "优良天数", "油烟治理"):
            expect(page.locator("tr", has_text=indicator).first).to_be_visible(timeout=60_000)

        staff = browser.new_page(viewport={"width": 1400, "height": 1400})
        staff.goto(f"{url}/upload")
        staff.get_by_text("数据上报 Upload").first.wait_for(timeout=120_000)
        wait_idle(staff)
        sign_in(staff, STAFF)
        staff.locator("input[type=file]").set_input_files(str(values))
        staff.get_by_text("第三步：预览变更").wait_for(timeout=60_000)
        wait_idle(staff)
        staff.get_by_role("button", name="提交", exact=True).click()
        staff.get_by_text("已提交，批次号").wait_for(timeout=60_000)
        wait_idle(staff)
        staff.goto(f"{url}/scorecard")
        staff.locator("h1").first.wait_for(timeout=60_000)
        wait_idle(staff)
        sidebar = staff.locator("[data-testid='stSidebar']")
        sidebar.locator("[data-testid='stMultiSelect']").first.locator("input").click()
        staff.get_by_role("option", name="兴庆区 Xingqing").click()
        staff.locator("h1").first.click()
        wait_idle(staff)
        row = staff.locator("tr", has_text="油烟治理").first
        expect(row).to_contain_text("已达标", timeout=60_000)
        staff.screenshot(path=screenshot_path("plan_import_staff_scorecard"))
