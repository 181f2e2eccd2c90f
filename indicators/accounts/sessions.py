"""Browser sessions: a random token in an HttpOnly cookie, only its SHA-256 in the store.

A session ends when it has been idle too long or is too old (data/rules.yaml, `sessions`), on sign-out, on a
password change and when its account is removed; it belongs to the account as it was created, so an account
made again under a removed one's name never inherits its sessions. Failed sign-ins are counted in the store
(StoreLimiter), so the limit holds across server processes and restarts. Tokens are never logged or shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from pathlib import Path

from indicators import store
from indicators.accounts import auth
from indicators.catalog import rules as rules_mod
from indicators.errors import LoginFailed, StoreReadOnly
from indicators.store import db

COOKIE = "dabiao_session"
TOUCH_AFTER = dt.timedelta(minutes=1)  # last_seen is written at most this often (each write costs a lock)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _rules() -> rules_mod.Rules:
    return rules_mod.load()


class StoreLimiter:
    """auth.Limits kept in the store's sign_in_failures table; `now` is Unix time (time.time())."""

    def __init__(self, path: Path | str, the_rules: rules_mod.Rules | None = None):
        r = the_rules or _rules()
        self.path, self.attempts = path, r.sign_in_attempts
        self.window = dt.timedelta(minutes=r.sign_in_window_minutes)

    def wait(self, name: str, now: float) -> float:
        at = dt.datetime.fromtimestamp(now)
        with db.connect(self.path, read_only=True) as con:
            recent = store.failures(con, name.casefold(), at - self.window)
        if len(recent) < self.attempts:
            return 0.0
        return max(0.0, (recent[-self.attempts] + self.window - at).total_seconds())

    def failed(self, name: str, now: float) -> None:
        at = dt.datetime.fromtimestamp(now)
        with db.connect(self.path) as con:
            store.add_failure(con, name.casefold(), at, at - self.window)

    def succeeded(self, name: str) -> None:
        with db.connect(self.path) as con:
            store.clear_failures(con, name.casefold())


def sign_in(path: Path | str, name: str, password: str, now: float | None = None) -> tuple[str, auth.Account]:
    """(token, account) of a new session when the password is right; LoginFailed otherwise (auth.login's
    answers, limited by the store). A read-only store is StoreReadOnly before the password is looked at: it
    can keep neither the session nor the failed attempts, so it would allow unlimited guessing."""
    if str(path) != ":memory:" and not db.writable(Path(path)):
        raise StoreReadOnly()
    now = time.time() if now is None else now
    the_rules = _rules()
    account = auth.login(path, name, password, StoreLimiter(path, the_rules), now)
    token = secrets.token_urlsafe(32)
    at = dt.datetime.fromtimestamp(now)
    with db.connect(path) as con:
        idle, absolute = _lifetimes(the_rules)
        store.delete_expired_sessions(con, at - idle, at - absolute)
        if not store.insert_session(con, token_hash(token), account.name, at):
            raise LoginFailed("账号或密码错误", "wrong name or password")  # removed in between
    return token, account


def _lifetimes(the_rules: rules_mod.Rules) -> tuple[dt.timedelta, dt.timedelta]:
    return (
        dt.timedelta(minutes=the_rules.session_idle_minutes),
        dt.timedelta(hours=the_rules.session_absolute_hours),
    )


def max_age(the_rules: rules_mod.Rules | None = None) -> int:
    """Seconds a browser keeps the cookie: the absolute lifetime (the store decides before that)."""
    return int(_lifetimes(the_rules or _rules())[1].total_seconds())


def account(path: Path | str, token: str | None, now: float | None = None) -> auth.Account | None:
    """The signed-in account of a session token as the account is now, or None: no token, an unknown,
    revoked or expired session, or a removed account. Records that the session was seen."""
    if not token:
        return None
    at = dt.datetime.fromtimestamp(time.time() if now is None else now)
    key = token_hash(token)
    with db.connect(path, read_only=True) as con:
        row = store.session_account(con, key)
    if row is None:
        return None
    name, role, cities, created, last_seen = row
    idle, absolute = _lifetimes(_rules())
    if at - last_seen > idle or at - created > absolute:
        try:
            sign_out(path, token)
        except StoreReadOnly:  # a store mounted read-only since: the session is over all the same
            pass
        return None
    if at - last_seen > TOUCH_AFTER:
        try:
            with db.connect(path) as con:
                store.touch_session(con, key, at)
        except StoreReadOnly:  # reading goes on; the idle time counts from the last write that could be made
            pass
    return auth.Account(name, role, tuple(cities))


def sign_out(path: Path | str, token: str | None) -> None:
    """End the session of a token (nothing happens for an unknown one)."""
    if token:
        with db.connect(path) as con:
            store.delete_session(con, token_hash(token))


def open_sessions(path: Path | str, name: str) -> int:
    with db.connect(path, read_only=True) as con:
        return store.sessions_count(con, name)
