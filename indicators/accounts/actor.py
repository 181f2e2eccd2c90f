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

from indicators.errors import NotPermitted
from indicators.vocabulary import role_name


def refusal(actor: Actor, what_zh: str, what_en: str) -> NotPermitted:
    """The refusal of a write `actor` may not make, naming the actor and its role."""
    return NotPermitted(
        f"{actor.name}（{role_name(actor.role, 'zh')}）无权{what_zh}",
        f"{actor.name} ({role_name(actor.role, 'en')}) may not {what_en}",
    )


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
            raise refusal(self, "上报或撤销数据", "upload or undo values")

    def require_admin(self, what_zh: str, what_en: str) -> None:
        if not self.is_admin:
            raise refusal(self, what_zh, what_en)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return "unknown"


def local_operator() -> Actor:
    """The command line without --user: the operating-system user, as an administrator."""
    return Actor(os_user(), None, "admin")
