"""The upload journey in headless Chromium: template, file, preview of the changes, commit, undo, in both
languages."""

from __future__ import annotations

import pytest
from browser import STAFF, chromium, screenshot_path, served_app, sign_in, wait_idle, with_accounts
from conftest import FIXTURES

from indicators.store import db

pytestmark = pytest.mark.browser
UPLOADS = FIXTURES / "uploads"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = with_accounts(tmp_path_factory.mktemp("browser_upload") / "app.duckdb")
    with served_app(path) as url:
        yield url, path


def upload_page(browser, url: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 2000})  # tall: the whole page in one shot
    page.goto(f"{url}/upload")
    page.get_by_text("数据上报 Upload").first.wait_for(timeout=60_000)
    wait_idle(page)
    sign_in(page, STAFF)  # 灵武市 staff
    page.get_by_role("button", name="下载模板 Excel").wait_for(timeout=30_000)
    if lang == "en":
        page.get_by_text("English").click()
        page.get_by_text("Upload monthly data 数据上报").wait_for(timeout=30_000)
        wait_idle(page)
    return page


def choose_file(page, name: str, folder: str = "good") -> None:  # type: ignore[no-untyped-def]
    page.locator("input[type=file]").set_input_files(str(UPLOADS / folder / name))
    wait_idle(page)


def test_upload_preview_commit_and_undo_in_chinese(served):
    url, path = served
    with chromium() as browser:
        page = upload_page(browser, url)
        page.get_by_role("button", name="下载模板 Excel").wait_for(timeout=30_000)
        page.screenshot(path=screenshot_path("upload_start_zh"))

        # a GBK file exported by Excel, with one row of another city: Lingwu's staff may not write Nanchang
        choose_file(page, "long_gbk_excel.csv")
        page.get_by_text("第三步：预览变更").wait_for(timeout=60_000)
        wait_idle(page)
        page.screenshot(path=screenshot_path("upload_preview_zh"), full_page=True)
        body = page.inner_text("body")
        assert "long_gbk_excel.csv" in body and "gbk" in body
        assert "无权上报南昌市的数据" in body and "not_permitted" in body
        assert "有被拒绝的行" in body  # nothing is committed by default
        assert page.get_by_role("button", name="提交", exact=True).is_disabled()

        page.get_by_text("仅提交有效行（被拒绝的行不提交）").click()
        wait_idle(page)
        page.get_by_role("button", name="提交", exact=True).click()
        page.get_by_text("已提交，批次号").wait_for(timeout=60_000)
        wait_idle(page)
        body = page.inner_text("body")
        assert "新增 0 项，修改 4 项" in body
        page.screenshot(path=screenshot_path("upload_committed_zh"), full_page=True)
        with db.connect(path, read_only=True) as con:
            batch, actor = con.execute("SELECT id, actor FROM batches WHERE kind = 'upload'").fetchone()
        assert actor == STAFF[0]

        page.get_by_role("button", name="撤销该批次").click()
        page.get_by_role("button", name="确认撤销").click()  # the confirmation names the batch
        page.get_by_text(f"已撤销批次 {batch}").wait_for(timeout=60_000)
        wait_idle(page)
        page.screenshot(path=screenshot_path("upload_undone_zh"), full_page=True)
        with db.connect(path, read_only=True) as con:
            assert con.execute("SELECT batch_id FROM batch_undos").fetchall() == [(batch,)]


def test_upload_page_in_english_with_a_broken_file(served):
    url, _ = served
    with chromium() as browser:
        page = upload_page(browser, url, "en")
        choose_file(page, "encoding.csv", folder="bad")
        page.get_by_text("The file cannot be used; nothing was changed.").wait_for(timeout=60_000)
        wait_idle(page)
        body = page.inner_text("body")
        assert "neither UTF-8 nor GBK/GB18030" in body and "Traceback" not in body
        page.screenshot(path=screenshot_path("upload_broken_en"), full_page=True)

        # a wide workbook: the Nanchang row is rejected for Lingwu's staff, the rest previewed
        choose_file(page, "wide.xlsx")
        page.get_by_text("wide.xlsx · wide layout").wait_for(timeout=60_000)
        wait_idle(page)
        page.screenshot(path=screenshot_path("upload_preview_en"), full_page=True)
        body = page.inner_text("body")
        assert "may not write data for Nanchang" in body and "Step 4: commit" in body
