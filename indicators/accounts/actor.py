"""Who writes: every write names an actor, its role and the cities it may write.

Roles: a viewer writes nothing; city staff upload and undo for their own cities; an administrator writes
every city, edits targets and manages accounts. In the app the actor is the signed-in account (auth.py). On
the command line it is the account given by `--user NAME`, or else the local operator: whoever can run the
command can open the database file anyway, so the operating-system user acts as an administrator and is
named as such in the audit log.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

ROLES = ("viewer", "staff", "admin")


class NotPermitted(PermissionError):
    """A write the actor may not make; the message (Chinese / English) is safe to show to a person."""

    def __init__(self, actor: Actor, what_zh: str, what_en: str):
        self.message_zh = f"{actor.name}（{role_name(actor.role, 'zh')}）无权{what_zh}"
        self.message_en = f"{actor.name} ({role_name(actor.role, 'en')}) may not {what_en}"
        super().__init__(f"{self.message_zh} / {self.message_en}")


_ROLE_NAMES = {
    "viewer": ("浏览者", "viewer"),
    "staff": ("填报员", "city staff"),
    "admin": ("管理员", "administrator"),
}


def role_name(role: str, lang: str = "zh") -> str:
    zh, en = _ROLE_NAMES.get(role, (role, role))
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class Actor:
    name: str
    cities: frozenset[str] | None = None  # None: every city
    role: str = "staff"

    def may_write(self, city: str) -> bool:
        return self.may_upload and (self.cities is None or city in self.cities)

    @property
    def may_upload(self) -> bool:
        return self.role in ("staff", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def require_upload(self) -> None:
        if not self.may_upload:
            raise NotPermitted(self, "上报或撤销数据", "upload or undo values")

    def require_admin(self, what_zh: str, what_en: str) -> None:
        if not self.is_admin:
            raise NotPermitted(self, what_zh, what_en)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return "unknown"


def local_operator() -> Actor:
    """The command line without --user: the operating-system user, as an administrator."""
    return Actor(os_user(), None, "admin")
