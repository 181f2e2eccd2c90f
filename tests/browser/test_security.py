"""What a browser can do and see, against the real server in headless Chromium: writing needs a signed-in
account whose cities bound what it writes; an administrator sees the audit log; and neither an error nor
the server's own messages give a browser a file path, a process id or a stack trace."""

from __future__ import annotations

import re
import tomllib
import urllib.request
from pathlib import Path

import pytest
from browser import ADMIN, ROOT, STAFF, chromium, screenshot_path, serve, served_app, sign_in, wait_idle
from browser import with_accounts as accounts
from conftest import FIXTURES

from indicators.accounts import audit

pytestmark = pytest.mark.browser
NOT_PERMITTED = FIXTURES / "uploads" / "bad" / "not_permitted.csv"  # a 灵武市 row and a 南昌市 row


def test_the_shipped_server_configuration():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True  # Streamlit's name for "do not open CORS"
    assert 0 < config["server"]["maxUploadSize"] <= 50  # MB


def test_sign_in_upload_only_ones_own_city_then_the_audit_log(tmp_path):
    path = accounts(tmp_path / "app.duckdb")
    with served_app(path) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.goto(f"{url}/upload")
        page.get_by_text("数据上报 Upload").first.wait_for(timeout=120_000)
        wait_idle(page)
        # browsing needs no account, writing does: no file picker before signing in
        assert "上报、撤销和修改目标需要登录" in page.inner_text("body")
        assert page.locator("input[type=file]").count() == 0
        assert page.get_by_role("link", name="管理 Admin").count() == 0

        sign_in(page, (STAFF[0], "not-the-password"))
        page.get_by_text("账号或密码错误").wait_for(timeout=30_000)
        sign_in(page, ("没有这个人", "not-the-password"))
        page.get_by_text("账号或密码错误").wait_for(timeout=30_000)  # the same words: existence is not told
        assert page.locator("input[type=file]").count() == 0

        sign_in(page, STAFF)
        page.get_by_text("已登录").wait_for(timeout=30_000)
        page.get_by_text("20MB per file").wait_for(timeout=30_000)  # the upload limit reaches the page
        page.locator("input[type=file]").set_input_files(str(NOT_PERMITTED))
        page.get_by_text("第三步：预览变更").wait_for(timeout=60_000)
        wait_idle(page)
        body = page.inner_text("body")
        assert "无权上报南昌市的数据" in body and "not_permitted" in body
        page.screenshot(path=screenshot_path("login_staff_preview_zh"), full_page=True)
        page.get_by_text("仅提交有效行（被拒绝的行不提交）").click()
        wait_idle(page)
        page.get_by_role("button", name="提交", exact=True).click()
        page.get_by_text("已提交，批次号").wait_for(timeout=60_000)
        wait_idle(page)

        page.get_by_role("button", name="退出登录").click()
        wait_idle(page)
        page.get_by_text("上报、撤销和修改目标需要登录").wait_for(timeout=30_000)
        assert page.locator("input[type=file]").count() == 0

        sign_in(page, ADMIN, where="sidebar")
        page.get_by_role("link", name="管理 Admin").click()
        page.get_by_text("审计日志").wait_for(timeout=60_000)
        wait_idle(page)
        grid = page.locator("[data-testid=stDataFrame]").first
        grid.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)  # the grid draws its cells on a canvas after it appears
        page.screenshot(path=screenshot_path("admin_audit_zh"), full_page=True)

    log = audit.log(path)
    upload = log[log.action == "upload"]
    assert upload[["actor", "subject", "values"]].values.tolist() == [[STAFF[0], "not_permitted.csv", 1]]
    assert upload.iloc[0]["cities"] == ["lingwu"]


LEAKS = [
    re.compile(rb"/(?:tmp|work|home|root|usr|opt|srv|var)/"),  # an absolute path
    re.compile(rb"[A-Za-z]:\\\\"),  # a Windows path
    re.compile(rb"Traceback|File \"|line \d+, in "),  # a stack trace
    re.compile(rb"\bPID\b|\bpid[ =:]", re.I),  # a process id
]


def leaks(blob: bytes, pid: int) -> list[str]:
    found = [p.pattern.decode() for p in LEAKS if p.search(blob)]
    return found + ([f"server pid {pid}"] if re.search(rb"\b%d\b" % pid, blob) else [])


def test_an_error_shows_the_browser_no_path_pid_or_trace(tmp_path):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a DuckDB database" * 1000)  # the app cannot open it
    frames: list[bytes] = []
    with serve(broken) as (url, proc), chromium() as browser:
        page = browser.new_page()
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived", lambda p: frames.append(p if isinstance(p, bytes) else p.encode())
            ),
        )
        page.goto(f"{url}/overview")
        page.get_by_text("数据库无法打开").wait_for(timeout=120_000)
        wait_idle(page)
        page.screenshot(path=screenshot_path("error_db_broken_zh"))
        body = page.inner_text("body").encode()
        html = page.content().encode()
        server = b"".join(
            urllib.request.urlopen(f"{url}{end}", timeout=10).read()
            for end in ("/_stcore/health", "/_stcore/host-config")
        )
        pid = proc.pid
    log = Path(tmp_path / next(p.name for p in tmp_path.glob("streamlit-*.log"))).read_text()
    assert "not a valid DuckDB database" in log or "Traceback" in log  # the details are in the server log
    assert frames, "no websocket traffic captured"
    for what, blob in (("websocket", b"".join(frames)), ("page", body + html), ("endpoints", server)):
        assert leaks(blob, pid) == [], (what, leaks(blob, pid))
    assert str(broken).encode() not in b"".join(frames) + body + html


def test_cors_is_not_opened(tmp_path):
    with served_app(tmp_path / "app.duckdb") as url:
        request = urllib.request.Request(f"{url}/_stcore/health", headers={"Origin": "http://evil.example"})
        with urllib.request.urlopen(request, timeout=10) as response:
            allowed = response.headers.get("Access-Control-Allow-Origin")
    assert allowed in (None, "") or allowed not in ("*", "http://evil.example")
