"""Serve the real app with `streamlit run` and drive it in Debian's headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served_app(
    db: Path | str, timeout: float = 90, script: str = "app.py", logs: Path | None = None
) -> Iterator[str]:
    """The app (or another Streamlit script of the checkout) served on a free local port with DABIAO_DB=db
    (a DuckDB file, or a PostgreSQL address: then `logs` says where the server's log goes); yields its URL."""
    with serve(db, timeout, script, logs) as (url, _):
        yield url


@contextmanager
def serve(
    db: Path | str, timeout: float = 90, script: str = "app.py", logs: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """As served_app, yielding the URL and the server process (the benchmark measures its memory)."""
    port = _free_port()
    folder = logs if logs is not None else Path(db).parent
    log = open(folder / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "scripts/serve.py",  # streamlit run, without sending the script's path to the browser
            script,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env={**os.environ, "DABIAO_DB": str(db)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {Path(log.name).read_text()}") from None
                time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot_path(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / f"{name}.png")


def wait_idle(page, timeout: float = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished the current run (its status widget is gone)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=timeout)
    page.wait_for_timeout(300)


# Accounts the browser journeys sign in with (tests only; a real install has none until an administrator
# makes them on the command line).
STAFF = ("灵武填报员", "lingwu-staff-pass")
ADMIN = ("chief", "chief-admin-pass")


def with_accounts(db: Path) -> Path:
    """Build the database (as the app does on first start) and add 灵武市 staff and an administrator."""
    from indicators import service
    from indicators.accounts import auth
    from indicators.accounts.actor import local_operator

    service.ensure(db)
    auth.add_user(db, local_operator(), STAFF[0], "staff", ["灵武市"], STAFF[1])
    auth.add_user(db, local_operator(), ADMIN[0], "admin", [], ADMIN[1])
    return db


SIGN_IN_FORM = "form[action='/auth/signin']"


def sign_in(page, account: tuple[str, str], where: str = "main") -> None:  # type: ignore[no-untyped-def]
    """Fill the sign-in form (posted to the server's sign-in route) of the page's main area ("main": also
    the sign-in page a refused attempt lands on) or of the sidebar ("sidebar"), in Chinese."""
    if where == "sidebar":
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.get_by_text("登录", exact=True).first.click()
        form = sidebar.locator(SIGN_IN_FORM)
    else:
        form = page.locator(f"{SIGN_IN_FORM}:visible").first
    form.get_by_label("账号").fill(account[0])
    form.get_by_label("密码").fill(account[1])
    with page.expect_navigation():
        form.get_by_role("button", name="登录").click()
    if page.locator("[data-testid=stApp]").count() or "/auth/" not in page.url:
        page.get_by_text("达标 Dabiao").first.wait_for(timeout=60_000)
        wait_idle(page)
