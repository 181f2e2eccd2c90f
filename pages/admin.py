"""管理 Admin: the audit log (every write: who, when, what, batch) and the accounts. Administrators only.

Accounts are managed on the command line (`indicators user …`); this page shows them, never a password.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from indicators.accounts import audit, auth
from indicators.i18n import tr
from indicators.paths import db_path
from indicators.vocabulary import role_name
from pages import common

MAX_ROWS = 500

lang = common.page_header()
st.title(tr("admin_title", lang))
account = common.signed_in()
if account is None or account.role != "admin":
    st.info(tr("admin_only", lang), icon=":material/lock:")
    if account is None:
        common.login_form(lang, "admin")
    st.stop()

path = str(db_path())
names = common.cities().set_index("code")["name_zh" if lang == "zh" else "name_en"].to_dict()
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
else:
    if len(log) > MAX_ROWS:
        st.caption(tr("audit_shown", lang).format(n=MAX_ROWS, total=len(log)))
    newest = log.iloc[::-1].head(MAX_ROWS)
    table = pd.DataFrame(
        {
            tr("audit_when", lang): pd.to_datetime(newest["written_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
            tr("audit_who", lang): newest["actor"],
            tr("audit_action", lang): newest["action"].map(
                lambda a: audit.ACTIONS.get(a, (a, a))[0 if lang == "zh" else 1]
            ),
            tr("audit_batch", lang): newest["batch_id"].map(lambda b: "" if pd.isna(b) else f"{b:.0f}"),
            tr("audit_subject", lang): [
                "" if a in ("upload", "demo") or s is None else s
                for a, s in zip(newest.action, newest.subject, strict=True)
            ],
            tr("audit_what", lang): [audit.what(r, lang, names) for _, r in newest.iterrows()],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")

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
