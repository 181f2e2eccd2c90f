"""Sign-in widgets: the form, the sidebar's account box, and who is signed in.

The signed-in account's name is set only here, after auth.login succeeded; no widget has AUTH_KEY, so the
browser cannot set it. The account is re-read from the database on every run: a removed account or a
changed role takes effect at once.
"""

from __future__ import annotations

import streamlit as st

from indicators.accounts import auth
from indicators.i18n import tr
from indicators.vocabulary import role_name
from pages import cache, common
from pages.common import show_error

AUTH_KEY = "auth_user"


@st.cache_resource
def _limiter() -> auth.Limiter:
    """One per server process, shared by every session: failed sign-ins per account name."""
    return auth.Limiter()


def signed_in() -> auth.Account | None:
    name = st.session_state.get(AUTH_KEY)
    if not name:
        return None
    found = auth.account(cache.path(), str(name))
    if found is None:
        st.session_state.pop(AUTH_KEY, None)
    return found


def login_form(lang: str, where: str) -> None:
    """Account and password; on success the session is signed in and the page runs again."""
    with st.form(f"login_{where}", clear_on_submit=True, border=where != "sidebar"):
        name = st.text_input(tr("login_name", lang), key=f"login_name_{where}")
        password = st.text_input(tr("login_password", lang), type="password", key=f"login_pw_{where}")
        if st.form_submit_button(tr("login_button", lang), icon=":material/login:"):
            try:
                account = auth.login(cache.path(), name, password, _limiter())
            except auth.LoginFailed as exc:
                show_error(exc, lang, code=False)
            else:
                st.session_state[AUTH_KEY] = account.name
                st.rerun()


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
        if st.button(tr("logout", lang), key="logout", icon=":material/logout:"):
            st.session_state.pop(AUTH_KEY, None)
            st.rerun()
