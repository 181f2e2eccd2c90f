"""Sign-in that lasts, against the real server: the session cookie survives a reload and opens a second tab,
is HttpOnly and SameSite=Strict, and ends everywhere on sign-out or when the account is removed on the
command line; the sign-in route refuses other origins; failed sign-ins are limited across two server
processes; neither the token nor the password reaches the server log."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from browser import STAFF, chromium, screenshot_path, served_app, sign_in, wait_idle
from browser import with_accounts as accounts
from conftest import run_cli

pytestmark = pytest.mark.browser
SIGNED_IN = "已登录"
NEEDED = "上报、撤销和修改目标需要登录"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def post(url: str, fields: dict[str, str], origin: str | None) -> tuple[int, dict[str, str]]:
    """(status, headers with lower-case names) of a form POST, redirects not followed."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if origin:
        headers["Origin"] = origin
    request = urllib.request.Request(url, urllib.parse.urlencode(fields).encode(), headers, method="POST")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}


def attempt(url: str, password: str) -> str:
    status, headers = post(
        f"{url}/auth/signin", {"account": STAFF[0], "password": password, "next": "/upload"}, url
    )
    assert status == 303, status
    return headers["location"]


def server_log(folder: Path) -> str:
    return "".join(p.read_text() for p in folder.glob("streamlit-*.log"))


def test_reload_second_tab_sign_out_everywhere(tmp_path):
    path = accounts(tmp_path / "app.duckdb")
    with served_app(path) as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        first = context.new_page()
        first.goto(f"{url}/upload")
        first.get_by_text("数据上报 Upload").first.wait_for(timeout=120_000)
        wait_idle(first)
        sign_in(first, STAFF)
        first.get_by_text(SIGNED_IN).wait_for(timeout=30_000)
        cookie = next(c for c in context.cookies() if c["name"] == "dabiao_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
        assert "dabiao_session" not in first.evaluate("document.cookie")  # no script can read it
        assert cookie["value"] not in first.url and cookie["value"] not in first.content()

        first.reload()
        first.get_by_text(SIGNED_IN).wait_for(timeout=60_000)
        second = context.new_page()
        second.goto(f"{url}/upload")
        second.get_by_text(SIGNED_IN).wait_for(timeout=120_000)
        wait_idle(second)
        second.screenshot(path=screenshot_path("session_second_tab_zh"))

        with first.expect_navigation():
            first.get_by_role("button", name="退出登录").click()
        first.get_by_text(NEEDED).wait_for(timeout=60_000)
        assert not [c for c in context.cookies() if c["name"] == "dabiao_session"]
        # the other tab still holds the old cookie; its next action asks the store and is signed out
        second.get_by_text("English").click()
        wait_idle(second)
        second.get_by_text("uploading, undoing and editing").first.wait_for(timeout=30_000)
        assert "Signed in" not in second.inner_text("body")
        second.screenshot(path=screenshot_path("session_signed_out_elsewhere_en"))
    log = server_log(tmp_path)
    assert cookie["value"] not in log and STAFF[1] not in log


def test_an_account_removed_on_the_command_line_is_signed_out(tmp_path):
    path = accounts(tmp_path / "app.duckdb")
    with served_app(path) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(f"{url}/upload")
        page.get_by_text("数据上报 Upload").first.wait_for(timeout=120_000)
        wait_idle(page)
        sign_in(page, STAFF)
        page.get_by_text(SIGNED_IN).wait_for(timeout=30_000)
        removed = run_cli("user", "remove", STAFF[0], db=path)
        assert removed.returncode == 0, removed.stderr
        page.get_by_text("English").click()
        wait_idle(page)
        page.get_by_text("uploading, undoing and editing").first.wait_for(timeout=30_000)
        page.locator("input[type=file]").wait_for(state="detached", timeout=30_000)
        page.screenshot(path=screenshot_path("session_account_removed_en"))


def test_the_sign_in_route_refuses_other_origins_and_answers_alike(tmp_path):
    path = accounts(tmp_path / "app.duckdb")
    with served_app(path) as url:
        fields = {"account": STAFF[0], "password": STAFF[1], "next": "/upload"}
        for origin in ("http://evil.example", None, "null"):
            status, headers = post(f"{url}/auth/signin", fields, origin)
            assert status == 403 and "set-cookie" not in headers, origin
        assert post(f"{url}/auth/signout", {"next": "/"}, "http://evil.example")[0] == 403
        # a wrong password and an unknown name land on the same page; neither is in the address
        wrong = attempt(url, "not-the-password")
        status, headers = post(
            f"{url}/auth/signin", {"account": "没有这个人", "password": "x" * 9, "next": "/upload"}, url
        )
        assert wrong == headers["location"] and "failed=wrong" in wrong and "not-the-password" not in wrong
        page = urllib.request.urlopen(f"{url}{wrong}", timeout=30).read().decode()
        assert "账号或密码错误" in page and "action='/auth/signin'" in page
        # the right one sets the cookie and goes back where it came from, never to another site
        status, headers = post(f"{url}/auth/signin", {**fields, "next": "//evil.example/x"}, url)
        assert status == 303 and headers["location"] == "/"
        cookie = headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert STAFF[1] not in server_log(tmp_path)


def test_six_wrong_passwords_across_two_server_processes_are_limited(tmp_path):
    path = accounts(tmp_path / "app.duckdb")
    with served_app(path) as one, served_app(path) as two:
        for url in (one, two, one, two, one):
            assert "failed=wrong" in attempt(url, "a wrong guess")
        # the sixth, even with the right password, in either process, after a restart too
        assert "failed=wait" in attempt(two, STAFF[1])
    with served_app(path) as three:
        location = attempt(three, STAFF[1])
        assert "failed=wait" in location and "minutes=15" in location
        page = urllib.request.urlopen(f"{three}{location}", timeout=30).read().decode()
        assert "尝试次数过多" in page
