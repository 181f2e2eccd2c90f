"""目标 Targets: every target of one city, grouped by domain, with its clause and responsible units.

A signed-in administrator may edit a target (value, deadline, responsible units, with a reason); the
library refuses anyone else (target_edits.edit_target), and the edit is audited and marked here.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from indicators import vocabulary
from indicators.accounts import audit, target_edits
from indicators.accounts.actor import Actor
from indicators.errors import DabiaoError
from indicators.i18n import tr
from indicators.reporting import display
from pages import cache, common, nav, signin
from pages.common import city_label, show_error

ALL = "__all__"


def units_list(text: str) -> list[str]:
    return [u for u in re.split(r"[、,，;；]", text) if u.strip()]


def target_name(r: object, lang: str) -> str:
    """A target as a person names it: city, indicator, deadline (its id is for machines)."""
    zh = lang == "zh"
    city = r.city_zh if zh else r.city_en  # type: ignore[attr-defined]
    indicator = r.indicator_zh if zh else r.indicator_en  # type: ignore[attr-defined]
    return f"{city} · {indicator} · {r.deadline_text}"  # type: ignore[attr-defined]


def edit_form(path: str, frame: pd.DataFrame, actor: Actor, lang: str) -> None:
    """The administrator's edit of one of the targets shown."""
    state = st.session_state
    if state.get("edit_done"):
        st.success(common.plain(state.pop("edit_done")))
    with st.expander(tr("edit_title", lang), icon=":material/edit:"):
        names = {r.id: target_name(r, lang) for r in frame.itertuples()}
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
                    path, actor, str(tid), reason, value, deadline, units_list(lead), units_list(coop)
                )
            except DabiaoError as exc:
                show_error(exc, lang)
                return
            cache.after_write()
            changes = audit.change_text(done.changes, lang)
            state.edit_done = (
                tr("edit_done", lang).format(changes=changes) if changes else tr("edit_nothing", lang)
            )
            st.rerun()


def edited_note(frame: pd.DataFrame, edits: pd.DataFrame, lang: str) -> None:
    edits = edits[edits.target_id.isin(frame.id)]
    if edits.empty:
        return
    names = {r.id: target_name(r, lang) for r in frame.itertuples()}
    st.markdown(f"**{tr('edited_title', lang)}** — {tr('edited_note', lang)}")
    for e in edits.itertuples():
        when = pd.Timestamp(e.edited_at).strftime("%Y-%m-%d")
        st.caption(
            f"{common.plain(names.get(e.target_id, ''))} ({e.target_id}: {e.value:g} · "
            f"{pd.Timestamp(e.deadline).date()} · {common.plain(e.edited_by)} {when} · "
            f"{common.plain(e.reason)})"
        )


def main() -> None:
    lang = nav.page_header()
    st.title(tr("targets_title", lang))
    st.caption(tr("targets_intro", lang))
    cities = cache.cities()
    labels = {row.code: city_label(row, lang) for row in cities.itertuples()}
    labels[ALL] = tr("all_cities", lang)
    city = st.selectbox(tr("city", lang), list(labels), format_func=labels.get, key=f"targets_city_{lang}")
    frame = cache.targets(None if city == ALL else city)
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
    titles = cache.plan_titles(lang)
    if city == ALL:
        st.markdown(f"**{labels[ALL]}** · {len(frame)} {tr('n_targets', lang)}")
    else:
        row = cities.set_index("code").loc[city]
        plans = "；".join(titles.get(t, t) for t in dict.fromkeys(frame.plan_title_zh))
        st.markdown(
            f"**{row.name_zh} {row.name_en}** · {row.province_zh} {row.province_en} · "
            f"{len(frame)} {tr('n_targets', lang)}  \n{tr('plans', lang)}: {plans}"
        )
    account = signin.signed_in()
    actor = account.actor() if account else None
    edited_note(frame, cache.target_edit_list(), lang)
    if actor is not None and actor.is_admin:
        edit_form(cache.path(), frame, actor, lang)
    st.html(display.targets_html(frame, lang, titles))


main()
