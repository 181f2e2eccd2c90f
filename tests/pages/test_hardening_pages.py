"""The pages under hostile conditions (issue 13), in AppTest: a store held by another process, a damaged or
read-only store, a bug, and Markdown typed into a target edit's reason. Each shows a bilingual notice (or
plain text), never Streamlit's error box."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from indicators.accounts import auth, sessions, target_edits
from indicators.accounts.actor import local_operator
from indicators.errors import StoreReadOnly
from indicators.i18n import tr
from pages import session
from pages.common import plain
from pages.nav import NAV

PASSWORD = "page-test-pass"
EVIL = "见 [省厅通知](http://evil.example/x) ![pixel](http://evil.example/p.png) **urgent** <b>x</b>"


@pytest.fixture(scope="module")
def base_db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("hardening_pages") / "base.duckdb"
    shutil.copy(demo_db, path)
    op = local_operator()
    auth.add_user(path, op, "chief", "admin", [], PASSWORD)
    return path


def app(
    path: Path, monkeypatch, page: str | None = None, user: str | None = None, token: str | None = None
) -> AppTest:
    monkeypatch.setenv("DABIAO_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if user:  # a session made as the sign-in route makes it; the page reads its token as from the cookie
        token, _ = sessions.sign_in(path, user, PASSWORD)
    if token:
        monkeypatch.setattr(session, "token", lambda: token)
    return at.switch_page(f"pages/{page}") if page else at


def texts(at: AppTest) -> str:
    parts = [*at.caption, *at.markdown, *at.success, *at.warning, *at.error, *at.info]
    return "\n".join(str(p.value) for p in parts)


def test_plain_escapes_every_markdown_construct():
    shown = plain(EVIL)
    for live in ("[省厅通知](http", "![pixel](http", "**urgent**", "<b>"):
        assert live not in shown
    assert shown.replace("\\", "") == EVIL


def test_a_reason_with_a_link_and_an_image_is_shown_as_text(base_db, tmp_path, monkeypatch):
    path = tmp_path / "edit.duckdb"
    shutil.copy(base_db, path)
    admin = auth.actor(path, "chief")
    target_edits.edit_target(path, admin, "lingwu-pc-pm25-2020", EVIL, 30.0, None, None, None)
    at = app(path, monkeypatch, "targets.py").run()  # an anonymous visitor
    assert not at.exception, at.exception
    caption = next(c.value for c in at.caption if "lingwu-pc-pm25-2020" in c.value)
    assert "](http" not in caption and "**urgent**" not in caption and "<b>" not in caption
    assert plain(EVIL) in caption


def hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that holds the store for writing for `seconds`."""
    code = (
        "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
        "time.sleep(float(sys.argv[2]))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_store_held_elsewhere_shows_the_busy_notice_when_a_signed_in_session_switches_language(
    base_db, tmp_path, monkeypatch
):
    path = tmp_path / "busy.duckdb"
    shutil.copy(base_db, path)
    at = app(path, monkeypatch, user="chief").run()
    assert not at.exception, at.exception
    holder = hold(path, 40)
    try:
        started = time.monotonic()
        at.sidebar.radio(key="lang").set_value("en").run(timeout=60)
        assert time.monotonic() - started < 35
    finally:
        holder.kill()
        holder.wait()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning if tr("busy", "en") in w.value], texts(at)
    assert tr("busy", "zh") in texts(at)


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n" + bytes(4096)])
def test_a_damaged_store_says_it_cannot_be_opened(tmp_path, monkeypatch, content):
    path = tmp_path / "damaged.duckdb"
    path.write_bytes(content)
    at = app(path, monkeypatch).run()
    assert not at.exception, at.exception
    assert tr("db_broken", "zh") in texts(at) and tr("db_broken", "en") in texts(at)
    assert path.read_bytes() == content


def test_a_bug_on_a_page_is_a_bilingual_notice(base_db, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("pages.cache.freshness_summary", broken)  # the overview's last section
    at = app(base_db, monkeypatch).run()
    assert not at.exception, at.exception
    assert tr("internal_error", "zh") in texts(at) and tr("internal_error", "en") in texts(at)


@pytest.fixture
def read_only_store(base_db: Path, tmp_path: Path):
    """(path, token): a store mounted read-only after the administrator signed in on it."""
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(base_db, folder / "store.duckdb")
    # made 5 minutes ago (idle limit 120): each page records that it was seen now, which the store refuses
    token, _ = sessions.sign_in(folder / "store.duckdb", "chief", PASSWORD, now=time.time() - 300)
    if subprocess.run(
        ["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True
    ).returncode:
        pytest.skip("cannot mount a read-only folder here")
    try:
        yield folder / "store.duckdb", token
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_every_page_works_on_a_read_only_store(read_only_store, monkeypatch):
    path, token = read_only_store
    for item in NAV:
        at = app(path, monkeypatch, item.file, token=token).run()
        assert not at.exception, (item.file, at.exception)
        assert not at.error, (item.file, [e.value for e in at.error])
        assert "chief" in texts(at), item.file  # still signed in: the account box names the account


def test_signing_in_on_a_read_only_store_is_refused_before_the_password_is_checked(read_only_store):
    path, _ = read_only_store
    for password in (PASSWORD, "wrong"):  # a wrong one too: the store could not count the attempts
        with pytest.raises(StoreReadOnly) as refused:
            sessions.sign_in(path, "chief", password)
        assert refused.value.code == "read_only"
        assert refused.value.message("zh") != refused.value.message("en")
