"""The signed-in account of a page run, from the session cookie, and the sign-in / sign-out forms.

The cookie is set and cleared only by the server's routes (web/auth_routes.py); a page reads it with
st.context.cookies (sent when the browser tab connected) and asks the store whose session it is, on every
run: a session ended in another tab, by a password change or by removing the account is signed out at the
next action. The forms are plain HTML posted to those routes (web/forms.py)."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from indicators.accounts import auth, sessions
from indicators.paths import db_path
from web import forms


def token() -> str | None:
    """The session token the browser sent (None without one)."""
    value = st.context.cookies.get(sessions.COOKIE)
    return value if isinstance(value, str) and value else None  # AppTest's context is a stand-in


def account() -> auth.Account | None:
    return sessions.account(db_path(), token())


def here() -> str:
    """This page's path and query (the view), to come back to after signing in or out."""
    url = st.context.url if isinstance(st.context.url, str) else "/"
    query = urlencode(st.query_params.to_dict())
    return urlsplit(url).path + (f"?{query}" if query else "")


def sign_in_form(lang: str, where: str) -> None:
    st.html(forms.sign_in_form(lang, here(), where))


def sign_out_form(lang: str) -> None:
    st.html(forms.sign_out_form(lang, here()))
