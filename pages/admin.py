"""管理 Admin: the audit log (every write: who, when, what, batch) and the accounts. Administrators only.

Accounts are managed on the command line (`indicators user …`); this page shows them, never a password.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from indicators.accounts import audit, auth
from indicators.i18n import tr
from indicators.vocabulary import role_name
from pages import additions, cache, nav, signin

MAX_ROWS = 500


def audit_section(path: str, names: dict[str, str], lang: str) -> None:
    st.subheader(tr("audit_title", lang))
    st.caption(tr("audit_intro", lang))
    since = st.date_input(
        tr("audit_since", lang),
        value=dt.date.today() - dt.timedelta(days=90),
        key="audit_since",
        format="YYYY-MM-DD",
    )
    log = audit.log(path, since)
    if log.empty:
        st.caption(tr("audit_empty", lang))
        return
    if len(log) > MAX_ROWS:
        st.caption(tr("audit_shown", lang).format(n=MAX_ROWS, total=len(log)))
    st.dataframe(audit.table(log, lang, names, MAX_ROWS), hide_index=True, width="stretch")


def users_section(path: str, names: dict[str, str], lang: str) -> None:
    st.subheader(tr("users_title", lang))
    st.caption(tr("users_help", lang))
    users = auth.accounts(path)
    st.dataframe(
        pd.DataFrame(
            {
                tr("user_name", lang): [u.name for u in users],
                tr("user_role", lang): [role_name(u.role, lang) for u in users],
                tr("user_cities", lang): ["、".join(str(names.get(c, c)) for c in u.cities) for u in users],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def main() -> None:
    lang = nav.page_header()
    st.title(tr("admin_title", lang))
    account = signin.signed_in()
    if account is None or account.role != "admin":
        st.info(tr("admin_only", lang), icon=":material/lock:")
        if account is None:
            signin.login_form(lang, "admin")
        st.stop()
    names = cache.cities().set_index("code")["name_zh" if lang == "zh" else "name_en"].to_dict()
    audit_section(cache.path(), names, lang)
    users_section(cache.path(), names, lang)
    additions.city_form(cache.path(), account.actor(), lang)  # issue 15: a city or an indicator added
    additions.indicator_form(cache.path(), account.actor(), lang)


main()
