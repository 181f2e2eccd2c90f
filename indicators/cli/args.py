"""What several commands read from their arguments: the acting account (--user) and dates."""

from __future__ import annotations

import argparse
import datetime as dt

from indicators import store
from indicators.accounts import auth
from indicators.accounts.actor import Actor, local_operator, os_user
from indicators.errors import InvalidRequest
from indicators.paths import db_path
from indicators.store.accounts import OS_USER


def cli_actor(args: argparse.Namespace) -> Actor:
    """--user NAME: that account (its role and cities), with the operating-system user recorded beside it
    in the audit log (no password is asked: whoever runs the command can open the file anyway); without it
    the local operator."""
    if not args.user:
        return local_operator()
    store.init(db_path(args.db))
    OS_USER.set(os_user())
    return auth.actor(db_path(args.db), args.user)


def parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        zh, en = f"日期应为 YYYY-MM-DD：{text}", f"a date is written YYYY-MM-DD: {text}"
        raise InvalidRequest(zh, en) from None
