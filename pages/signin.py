"""Sign-in widgets: the form, the sidebar's account box, and who is signed in.

Sign-in and sign-out are HTML forms posted to the server's routes (web/auth_routes.py), which set and clear
an HttpOnly session cookie; pages/session.py reads the cookie and re-reads its account from the store on
every run: a removed account, a changed password or a sign-out elsewhere takes effect at once.
"""

from __future__ import annotations

import streamlit as st

from indicators.accounts import auth
from indicators.i18n import tr
from indicators.vocabulary import role_name
from pages import cache, common, session


def signed_in() -> auth.Account | None:
    """The account of this browser's session cookie as it is now (pages/session.py), or None."""
    return session.account()


def login_form(lang: str, where: str) -> None:
    """Account and password, posted to the server's sign-in route, which sets the session cookie."""
    session.sign_in_form(lang, where)


def account_box(account: auth.Account | None, lang: str) -> None:
    """The sidebar's sign-in (collapsed) or the signed-in account with a sign-out button."""
    with st.sidebar:
        st.divider()
        if account is None:
            with st.expander(tr("login", lang), icon=":material/person:"):
                login_form(lang, "sidebar")
            return
        names = cache.cities().set_index("code")["name_zh" if lang == "zh" else "name_en"]
        mine = f" · {'、'.join(str(names.get(c, c)) for c in account.cities)}" if account.cities else ""
        who = f"**{common.plain(account.name)}** · {role_name(account.role, lang)}{mine}"
        st.caption(f"{tr('signed_in', lang)}: {who}")
        session.sign_out_form(lang)
