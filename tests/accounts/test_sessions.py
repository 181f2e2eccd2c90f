"""Browser sessions on a real DuckDB file: only the token's hash is stored, sessions expire when idle and when
old, end on sign-out, on a password change and with their account, and never pass to a new account of the
same name; failed sign-ins are counted in the store, so every process sees the same limit."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from indicators.accounts import auth, sessions
from indicators.accounts.actor import local_operator
from indicators.errors import LoginFailed
from indicators.store import db

OP = local_operator()
PASSWORD = "correct horse battery"
T0 = 1_800_000_000.0  # a fixed Unix time


@pytest.fixture
def accounts_db(demo_db, tmp_path):
    path = tmp_path / "sessions.duckdb"
    shutil.copy(demo_db, path)
    auth.add_user(path, OP, "灵武填报员", "staff", ["灵武市"], PASSWORD)
    auth.add_user(path, OP, "chief", "admin", [], PASSWORD)
    return path


def stored(path) -> list[tuple]:
    with db.connect(path, read_only=True) as con:
        return con.execute("SELECT token_sha256, account FROM sessions ORDER BY account").fetchall()


def test_only_the_hash_of_the_token_is_stored(accounts_db):
    token, account = sessions.sign_in(accounts_db, "灵武填报员", PASSWORD, now=T0)
    assert account == auth.Account("灵武填报员", "staff", ("lingwu",))
    assert len(token) >= 43  # 32 random bytes
    assert stored(accounts_db) == [(hashlib.sha256(token.encode()).hexdigest(), "灵武填报员")]
    with db.connect(accounts_db, read_only=True) as con:
        dump = str(con.execute("SELECT * FROM sessions").fetchall())
    assert token not in dump
    assert sessions.account(accounts_db, token, now=T0 + 5) == account
    assert sessions.account(accounts_db, "not-a-token", now=T0 + 5) is None
    assert sessions.account(accounts_db, None) is None


def test_two_sessions_are_independent_and_sign_out_ends_one(accounts_db):
    one, _ = sessions.sign_in(accounts_db, "chief", PASSWORD, now=T0)
    two, _ = sessions.sign_in(accounts_db, "chief", PASSWORD, now=T0)
    assert one != two and sessions.open_sessions(accounts_db, "chief") == 2
    sessions.sign_out(accounts_db, one)
    assert sessions.account(accounts_db, one, now=T0 + 1) is None
    assert sessions.account(accounts_db, two, now=T0 + 1).name == "chief"


def test_idle_and_absolute_expiry(accounts_db):
    token, _ = sessions.sign_in(accounts_db, "chief", PASSWORD, now=T0)
    # seen every 100 minutes (idle limit 120): alive until 12 hours after signing in
    for minutes in range(100, 12 * 60, 100):
        assert sessions.account(accounts_db, token, now=T0 + minutes * 60) is not None, minutes
    assert sessions.account(accounts_db, token, now=T0 + 12 * 3600 + 60) is None
    assert stored(accounts_db) == []  # an expired session is deleted when it is met
    idle, _ = sessions.sign_in(accounts_db, "chief", PASSWORD, now=T0)
    assert sessions.account(accounts_db, idle, now=T0 + 121 * 60) is None


def test_password_change_and_removal_end_every_session(accounts_db):
    token, _ = sessions.sign_in(accounts_db, "chief", PASSWORD, now=T0)
    staff, _ = sessions.sign_in(accounts_db, "灵武填报员", PASSWORD, now=T0)
    auth.set_password(accounts_db, OP, "chief", "another long password")
    assert sessions.account(accounts_db, token, now=T0 + 1) is None
    assert sessions.account(accounts_db, staff, now=T0 + 1) is not None
    auth.remove_user(accounts_db, OP, "灵武填报员")
    assert sessions.account(accounts_db, staff, now=T0 + 1) is None
    assert stored(accounts_db) == []


def test_a_new_account_of_a_removed_name_does_not_inherit_its_session(accounts_db):
    token, _ = sessions.sign_in(accounts_db, "灵武填报员", PASSWORD, now=T0)
    # as if the session row had survived the removal (an older version, a copied file): it is bound to the
    # account's creation time, so the new administrator of the same name is not this session's account
    with db.connect(accounts_db) as con:
        rows = con.execute("SELECT * FROM sessions").fetchall()
    auth.remove_user(accounts_db, OP, "灵武填报员")
    auth.add_user(accounts_db, OP, "灵武填报员", "admin", [], PASSWORD)
    with db.connect(accounts_db) as con:
        con.executemany("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", rows)
    assert sessions.account(accounts_db, token, now=T0 + 1) is None


def test_failed_sign_ins_are_limited_in_the_store(accounts_db):
    for i in range(5):
        with pytest.raises(LoginFailed, match="wrong name or password"):
            sessions.sign_in(accounts_db, "chief", "guess", now=T0 + i)
    # a second limiter (another process) sees the same failures: even the right password waits
    with pytest.raises(LoginFailed, match="too many attempts; try again in 15 min") as held:
        sessions.sign_in(accounts_db, " CHIEF ", PASSWORD, now=T0 + 5)
    assert held.value.retry_after == pytest.approx(895.0)
    assert sessions.sign_in(accounts_db, "灵武填报员", PASSWORD, now=T0 + 5)[1].role == "staff"
    assert sessions.sign_in(accounts_db, "chief", PASSWORD, now=T0 + 900.5)[1].role == "admin"
    with db.connect(accounts_db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM sign_in_failures").fetchone() == (0,)
