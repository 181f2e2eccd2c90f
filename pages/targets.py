"""目标 Targets: every target of one city, grouped by domain, with its clause and responsible units.

A signed-in administrator may edit a target (value, deadline, responsible units, with a reason); the
library refuses anyone else (target_edits.edit_target), and the edit is audited and marked here.
"""

import re

import pandas as pd
import streamlit as st

from indicators import vocabulary
from indicators.accounts import audit, target_edits
from indicators.accounts.actor import NotPermitted
from indicators.i18n import tr
from indicators.paths import db_path
from indicators.reporting import display
from pages import common

ALL = "__all__"

lang = common.page_header()
st.title(tr("targets_title", lang))
st.caption(tr("targets_intro", lang))

cities = common.cities()
labels = {row.code: common.city_label(row, lang) for row in cities.itertuples()}
labels[ALL] = tr("all_cities", lang)
city = st.selectbox(tr("city", lang), list(labels), format_func=labels.get, key=f"targets_city_{lang}")
frame = common.targets(None if city == ALL else city)

domains = list(dict.fromkeys(frame.domain))
choice = st.pills(
    tr("domain", lang),
    domains,
    format_func=lambda d: vocabulary.domain_name(d, lang),
    selection_mode="multi",
    key="targets_domains",
)
if choice:
    frame = frame[frame.domain.isin(choice)]

plans = "；".join(dict.fromkeys(frame.plan_title_zh))
if city == ALL:
    st.markdown(f"**{labels[ALL]}** · {len(frame)} {tr('n_targets', lang)}")
else:
    row = cities.set_index("code").loc[city]
    st.markdown(
        f"**{row.name_zh} {row.name_en}** · {row.province_zh} {row.province_en} · "
        f"{len(frame)} {tr('n_targets', lang)}  \n{tr('plans', lang)}: {plans}"
    )


def units_list(text: str) -> list[str]:
    return [u for u in re.split(r"[、,，;；]", text) if u.strip()]


def edit_form(frame: pd.DataFrame) -> None:
    """The administrator's edit of one of the targets shown."""
    if state.get("edit_done"):
        st.success(common.plain(state.pop("edit_done")))
    with st.expander(tr("edit_title", lang), icon=":material/edit:"):
        names = {
            r.id: f"{r.id} · {r.city_zh} · {r.indicator_zh} {r.indicator_en}" for r in frame.itertuples()
        }
        tid = st.selectbox(tr("edit_target", lang), list(names), format_func=names.get, key="edit_tid")
        if tid is None:
            return
        row = frame.set_index("id").loc[tid]
        st.caption(common.plain(row.quote))
        left, right = st.columns(2)
        value = left.number_input(
            f"{tr('edit_value', lang)} ({row.unit})", value=float(row.value), format="%g", key=f"ev_{tid}"
        )
        deadline = right.date_input(
            tr("edit_deadline", lang), value=pd.Timestamp(row.deadline).date(), key=f"ed_{tid}"
        )
        lead = st.text_input(tr("edit_responsible", lang), "、".join(row.responsible), key=f"er_{tid}")
        coop = st.text_input(tr("edit_cooperating", lang), "、".join(row.cooperating), key=f"ec_{tid}")
        reason = st.text_input(tr("edit_reason", lang), key=f"ereason_{tid}")
        if st.button(tr("edit_save", lang), type="primary", key="edit_save"):
            try:
                done = target_edits.edit_target(
                    str(db_path()),
                    actor,
                    str(tid),
                    reason,
                    value,
                    deadline,
                    units_list(lead),
                    units_list(coop),
                )
            except (target_edits.EditRefused, NotPermitted) as exc:
                st.error(exc.message_zh if lang == "zh" else exc.message_en)
                return
            changes = audit.change_text(done.changes, lang)
            state.edit_done = (
                tr("edit_done", lang).format(changes=changes) if changes else tr("edit_nothing", lang)
            )
            st.rerun()


def edited_note(frame: pd.DataFrame) -> None:
    edits = common.target_edit_list()
    edits = edits[edits.target_id.isin(frame.id)]
    if edits.empty:
        return
    st.markdown(f"**{tr('edited_title', lang)}** — {tr('edited_note', lang)}")
    for e in edits.itertuples():
        when = pd.Timestamp(e.edited_at).strftime("%Y-%m-%d")
        st.caption(
            f"{e.target_id}: {e.value:g} · {pd.Timestamp(e.deadline).date()} · "
            f"{common.plain(e.edited_by)} {when} · {common.plain(e.reason)}"
        )


state = st.session_state
account = common.signed_in()
actor = account.actor() if account else None
edited_note(frame)
if actor is not None and actor.is_admin:
    edit_form(frame)
st.html(display.targets_html(frame, lang))
