"""Accounts and sign-in: argon2id password hashes in the database, roles, cities, rate-limited login.

A fresh database has no account and no default password; the first administrator is made on the command
line (`indicators user add NAME --role admin`). Browsing needs no account; every write names its actor.
Account changes are audited by the store in the same transaction. Messages are Chinese / English and never
say whether an account exists.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from indicators import store
from indicators.accounts.actor import Actor
from indicators.errors import AccountError, LoginFailed
from indicators.store import db
from indicators.vocabulary import ROLES

MIN_PASSWORD = 8
NAME_PATTERN = re.compile(r"[\w.@-]{2,40}")  # \w: letters of any script, digits, underscore
_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters (RFC 9106)
_DUMMY_HASH = _HASHER.hash("a password nobody has")  # verified for unknown names: equal time, equal answer


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    cities: tuple[str, ...]

    def actor(self) -> Actor:
        cities = None if self.role == "admin" else frozenset(self.cities)
        return Actor(self.name, cities, self.role)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            f"密码至少 {MIN_PASSWORD} 个字符", f"a password has at least {MIN_PASSWORD} characters"
        )
    if password != password.strip():
        raise AccountError("密码首尾不能有空格", "a password cannot start or end with a space")


def _cities(con: object, role: str, cities: list[str]) -> list[str]:
    if role == "staff" and not cities:
        raise AccountError(
            "填报员账号至少要有一个城市（--city）", "a staff account needs at least one --city"
        )
    if role != "staff" and cities:
        raise AccountError(
            "只有填报员账号限定城市（管理员可写所有城市，浏览者不可写）",
            "only staff accounts have cities (administrators write every city, viewers none)",
        )
    codes = []
    for c in cities:
        try:
            codes.append(store.resolve_city(con, c))  # type: ignore[arg-type]
        except store.UnknownName as exc:
            raise AccountError(f"未知城市 {c}", f"unknown city {c}") from exc
    return sorted(set(codes))


def add_user(path: Path | str, by: Actor, name: str, role: str, cities: list[str], password: str) -> Account:
    """Create an account (administrators only); staff need their cities, others have none."""
    by.require_admin("管理账号", "manage accounts")
    if not NAME_PATTERN.fullmatch(name):
        raise AccountError(
            "账号名为 2–40 个字母、汉字、数字或 . _ @ -", "a name is 2–40 letters, digits or . _ @ -"
        )
    if role not in ROLES:
        raise AccountError(f"未知角色 {role}", f"unknown role {role} (viewer, staff, admin)")
    _check_password(password)
    with db.connect(path) as con:
        if store.user_row(con, name) is not None:
            raise AccountError(f"账号 {name} 已存在", f"the account {name} exists already")
        codes = _cities(con, role, cities)
        store.insert_user(con, by.name, name, role, codes, _HASHER.hash(password))
    return Account(name, role, tuple(codes))


def set_password(path: Path | str, by: Actor, name: str, password: str) -> None:
    by.require_admin("管理账号", "manage accounts")
    _check_password(password)
    with db.connect(path) as con:
        if store.user_row(con, name) is None:
            raise AccountError(f"没有账号 {name}", f"no account {name}")
        store.update_password(con, by.name, name, _HASHER.hash(password))


def remove_user(path: Path | str, by: Actor, name: str) -> None:
    by.require_admin("管理账号", "manage accounts")
    with db.connect(path) as con:
        if store.user_row(con, name) is None:
            raise AccountError(f"没有账号 {name}", f"no account {name}")
        store.delete_user(con, by.name, name)


def accounts(path: Path | str) -> list[Account]:
    with db.connect(path, read_only=True) as con:
        frame = store.users_frame(con)
    return [Account(r.name, r.role, tuple(r.cities)) for r in frame.itertuples()]


def account(path: Path | str, name: str) -> Account | None:
    """The account as it is now (role and cities re-read on every write), or None once removed."""
    with db.connect(path, read_only=True) as con:
        row = store.user_row(con, name)
    return Account(name, row[0], tuple(row[2])) if row else None


def actor(path: Path | str, name: str) -> Actor:
    """The actor of an existing account (the command line's --user NAME)."""
    found = account(path, name)
    if found is None:
        raise AccountError(f"没有账号 {name}", f"no account {name}")
    return found.actor()


class Limits(Protocol):
    """Failed sign-ins per account name; `now` is in seconds of the limiter's own clock."""

    def wait(self, name: str, now: float) -> float: ...
    def failed(self, name: str, now: float) -> None: ...
    def succeeded(self, name: str) -> None: ...


class Limiter:
    """At most `attempts` failed sign-ins per account name within `window` seconds, in this process only
    (sessions.StoreLimiter keeps them in the store, across processes and restarts); thread-safe.

    Counted per name whether or not the account exists, so the refusal says nothing about it."""

    def __init__(self, attempts: int = 5, window: float = 900.0):
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, name: str, now: float) -> float:
        """Seconds until `name` may try again (0: now)."""
        with self._lock:
            q = self._failures.get(name.casefold())
            while q and q[0] <= now - self.window:
                q.popleft()
            return q[0] + self.window - now if q and len(q) >= self.attempts else 0.0

    def failed(self, name: str, now: float) -> None:
        with self._lock:
            self._failures.setdefault(name.casefold(), deque()).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.casefold(), None)


def login(path: Path | str, name: str, password: str, limiter: Limits, now: float | None = None) -> Account:
    """The account when the password is right; LoginFailed otherwise, with one message for a wrong
    password and for an unknown name, and a wait once the name has failed too often."""
    now = time.monotonic() if now is None else now
    name = name.strip()
    wait = limiter.wait(name, now)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        raise LoginFailed(
            f"尝试次数过多，请 {minutes} 分钟后再试", f"too many attempts; try again in {minutes} min", wait
        )
    found = None
    with db.connect(path, read_only=True) as con:
        row = store.user_row(con, name) if name else None
    try:
        _HASHER.verify(row[1] if row else _DUMMY_HASH, password)
        found = Account(name, row[0], tuple(row[2])) if row else None
    except (VerificationError, InvalidHashError):
        found = None
    if found is None:
        limiter.failed(name, now)
        raise LoginFailed("账号或密码错误", "wrong name or password")
    limiter.succeeded(name)
    return found
