"""Who writes: every write names an actor and the cities that actor may write.

Until accounts exist (issue 6) the command line acts as `--user NAME` (default: the operating-system user)
with every city, and the upload page as the person reporting for the one city chosen on the page.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    name: str
    cities: frozenset[str] | None = None  # None: every city

    def may_write(self, city: str) -> bool:
        return self.cities is None or city in self.cities


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return "unknown"


def command_line(name: str | None = None) -> Actor:
    """The command line's actor: NAME (default the OS user), allowed every city until accounts exist."""
    return Actor(name or os_user(), None)
