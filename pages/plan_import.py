"""目标导入 Plan import: upload a plan document, review each candidate beside its clause in context (accept,
edit, reject; map it to an indicator or create one), publish. Administrators only.

The page only calls indicators.plans (service: import, show, text; review: review, publish) and
indicators.catalog.additions; every refusal is shown as the product words it."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from indicators.accounts.actor import Actor
from indicators.catalog import additions
from indicators.errors import DabiaoError
from indicators.i18n import tr
from indicators.plans import review, service
from indicators.reporting.display import target_phrase
from indicators.vocabulary import (
    AGGREGATIONS,
    COMPARATORS,
    DOMAINS,
    POLARITIES,
    aggregation_words,
    domain_name,
)
from pages import cache, common, nav, signin

CONTEXT_CSS = """
<style>
.pi-ctx {font-size: .9rem; line-height: 1.6; color: #555; background: #fafbfc; border-left: 3px solid #c9d3de;
         padding: .4rem .6rem; word-break: break-word; white-space: pre-wrap}
.pi-ctx mark {background: #ffe58a; color: #111; padding: 0 .1rem}
</style>
"""


def flash(lang: str) -> None:
    """The message of the action just taken (kept across the rerun that shows its result)."""
    message = st.session_state.pop("pi_flash", None)
    if message:
        st.success(common.plain(message))
    error = st.session_state.pop("pi_error", None)
    if error is not None:
        common.show_error(error, lang)


def act(action, message: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Run one write; rerun to show its result, or keep the refusal to show it."""
    try:
        result = action()
    except DabiaoError as exc:
        st.session_state.pi_error = exc
    else:
        if message is not None:
            st.session_state.pi_flash = message.format(result=result)
    st.rerun()


@st.cache_data(show_spinner=False, max_entries=8)
def _text(path: str, plan_id: int) -> str:
    return service.plan_text(path, plan_id)


def upload_section(path: str, actor: Actor, lang: str) -> None:
    st.subheader(tr("pi_upload", lang))
    cities = cache.cities()
    names = dict(zip(cities["code"], cities["name_zh" if lang == "zh" else "name_en"], strict=True))
    with st.form("pi_upload_form", clear_on_submit=True):
        upload = st.file_uploader(tr("pi_upload", lang), type=["txt", "html", "htm", "docx", "pdf"])
        left, right = st.columns(2)
        city = left.selectbox(tr("pi_city", lang), list(names), format_func=names.get)
        title = right.text_input(tr("pi_doc_title", lang))
        if st.form_submit_button(tr("pi_import", lang), type="primary") and upload is not None:
            try:
                done = service.import_plan(
                    path, upload.getvalue(), upload.name, str(city), actor, title or None
                )
            except DabiaoError as exc:
                common.show_error(exc, lang)
                return
            st.session_state.pi_plan = done.plan_id
            key = "pi_already" if done.already else "pi_imported"
            st.session_state.pi_flash = tr(key, lang).format(id=done.plan_id, n=done.candidates)
            st.rerun()


def indicator_names(lang: str) -> dict[str, str]:
    """Every indicator of the store (the catalog's and those added), by code, named in the language."""
    return {
        code: f"{zh if lang == 'zh' else en} ({code})"
        for code, zh, en in service.indicator_choices(cache.path())
    }


def candidate_card(
    path: str, actor: Actor, plan_id: int, c: dict, text: str, names: dict[str, str], lang: str, open_: bool
) -> None:
    n = int(c["n"])
    state = str(c["review"])
    badge = {"accepted": tr("pi_accepted", lang), "rejected": tr("pi_rejected", lang)}.get(
        state, tr("pi_pending", lang)
    )
    with st.container(border=True, key=f"pi_card_{n}"):
        left, right = st.columns([3, 2])
        before, clause, after = service.context(text, int(c.get("start") or 0), int(c.get("end") or 0))
        left.caption(tr("pi_context", lang))
        left.html(
            CONTEXT_CSS + f"<div class='pi-ctx'>{html.escape(before)}<mark>{html.escape(clause)}</mark>"
            f"{html.escape(after)}</div>"
        )
        indicator = c.get("indicator")
        name = (
            names.get(str(indicator), tr("pi_new_indicator", lang))
            if indicator
            else tr("pi_new_indicator", lang)
        )
        base = int(c["baseline_year"]) if c.get("baseline_year") else None
        phrase = target_phrase(str(c["comparator"]), float(c["value"]), str(c["unit"]), base, lang)
        right.markdown(f"**#{n} · {badge}**  \n{common.plain(name)}")
        right.markdown(f"**{common.plain(phrase)}** · {tr('deadline', lang)} {common.plain(c['deadline'])}")
        owners = "、".join(c.get("responsible") or []) or "—"
        helpers = "、".join(c.get("cooperating") or []) or "—"
        who = f"{tr('responsible', lang)}：{common.plain(owners)}"
        who += f" · {tr('cooperating', lang)}：{common.plain(helpers)}"
        right.caption(f"{who} · {tr('pi_confidence', lang)} {float(c.get('confidence') or 0):.2f}")
        if not open_:
            return
        a, b = right.columns(2)
        if a.button(tr("pi_accept", lang), key=f"pi_acc_{plan_id}_{n}", disabled=state == "accepted"):
            act(lambda: review.review(path, actor, plan_id, n, "accepted"))
        if b.button(tr("pi_reject", lang), key=f"pi_rej_{plan_id}_{n}", disabled=state == "rejected"):
            act(lambda: review.review(path, actor, plan_id, n, "rejected"))
        with st.expander(tr("pi_edit", lang), icon=":material/edit:"):
            edit_form(path, actor, plan_id, c, names, lang)
        if not indicator:
            with st.expander(tr("pi_create", lang), icon=":material/add:"):
                new_indicator_form(path, actor, plan_id, c, lang)


def edit_form(path: str, actor: Actor, plan_id: int, c: dict, names: dict[str, str], lang: str) -> None:
    n = int(c["n"])
    codes = list(names)
    with st.form(f"pi_edit_{plan_id}_{n}"):
        current = codes.index(str(c["indicator"])) if c.get("indicator") in names else None
        indicator = st.selectbox(tr("pi_map", lang), codes, index=current, format_func=names.get)
        one, two, three = st.columns(3)
        comparator = one.selectbox(
            tr("pi_comparator", lang), COMPARATORS, COMPARATORS.index(str(c["comparator"]))
        )
        value = two.text_input(tr("pi_value", lang), f"{float(c['value']):g}")
        unit = three.text_input(tr("pi_unit", lang), str(c["unit"]))
        one, two, three = st.columns(3)
        deadline = one.text_input(tr("pi_deadline", lang), str(c["deadline"]))
        base_year = two.text_input(tr("pi_baseline_year", lang), _blank(c.get("baseline_year")))
        base_value = three.text_input(tr("pi_baseline_value", lang), _blank(c.get("baseline_value")))
        lead = st.text_input(
            tr("responsible", lang), "、".join(c.get("responsible") or []), help=tr("pi_units_help", lang)
        )
        coop = st.text_input(tr("cooperating", lang), "、".join(c.get("cooperating") or []))
        if st.form_submit_button(tr("pi_save", lang), type="primary"):
            typed = {"comparator": comparator, "value": value, "unit": unit, "deadline": deadline}
            typed |= {"baseline_year": base_year, "baseline_value": base_value}
            typed |= {"responsible": lead, "cooperating": coop}

            def save() -> object:
                edits = {k: review.parse_edit(k, str(v)) for k, v in typed.items()}
                changed = {k: v for k, v in edits.items() if v != _as_edited(c.get(k))}
                return review.review(path, actor, plan_id, n, "accepted", changed, indicator)

            act(save)


def _blank(value: object) -> str:
    return (
        ""
        if value is None or (isinstance(value, float) and pd.isna(value))
        else f"{value:g}"
        if isinstance(value, float)
        else str(value)
    )


def _as_edited(value: object) -> object:
    return list(value) if isinstance(value, (list, tuple)) else value


def new_indicator_form(path: str, actor: Actor, plan_id: int, c: dict, lang: str) -> None:
    n = int(c["n"])
    proposed = c.get("proposed_indicator") or {}
    with st.form(f"pi_new_{plan_id}_{n}"):
        st.caption(tr("add_help", lang))
        one, two = st.columns(2)
        code = one.text_input(tr("f_code", lang))
        name_zh = two.text_input(tr("f_name_zh", lang), str(proposed.get("name_zh") or ""))
        name_en = one.text_input(tr("f_name_en", lang))
        unit = two.text_input(tr("f_unit", lang), str(proposed.get("unit") or c["unit"]))
        domain = one.selectbox(tr("f_domain", lang), DOMAINS, format_func=lambda d: domain_name(d, lang))
        polarity = two.selectbox(
            tr("f_polarity", lang),
            POLARITIES,
            POLARITIES.index(str(proposed.get("polarity") or POLARITIES[0])),
        )
        aggregation = one.selectbox(
            tr("f_aggregation", lang),
            AGGREGATIONS,
            AGGREGATIONS.index(str(proposed.get("aggregation") or AGGREGATIONS[0])),
            format_func=lambda a: aggregation_words(a, lang),
        )
        low, high = two.columns(2)
        valid_min = low.number_input(tr("f_valid_min", lang), value=0.0)
        valid_max = high.number_input(tr("f_valid_max", lang), value=100.0)
        if st.form_submit_button(tr("pi_create_button", lang), type="primary"):
            fields = {"code": code, "name_zh": name_zh, "name_en": name_en, "domain": domain, "unit": unit}
            fields |= {"polarity": polarity, "aggregation": aggregation}
            fields |= {"valid_min": valid_min, "valid_max": valid_max}

            def create() -> object:
                additions.add_indicator(path, actor, fields)
                return review.review(path, actor, plan_id, n, "accepted", None, code)

            act(create, tr("pi_created", lang).format(code=code))


def plan_section(path: str, actor: Actor, lang: str) -> None:
    plans = service.plan_list(path)
    if not plans:
        st.caption(tr("pi_none", lang))
        return
    titles = {int(str(p["id"])): f"{p['id']} · {p['title']} ({p['file_name']})" for p in plans}
    ids = list(titles)
    chosen = st.session_state.get("pi_plan")
    plan_id = st.selectbox(
        tr("pi_plan", lang), ids, index=ids.index(chosen) if chosen in ids else 0, format_func=titles.get
    )
    st.session_state.pi_plan = plan_id
    document, candidates = service.plan_show(path, int(plan_id))
    published = document["status"] == "published"
    counts = pd.Series([c["review"] for c in candidates]).value_counts()
    status_word = tr("pi_status_published", lang) if published else tr("pi_status_draft", lang)
    st.markdown(
        f"**{common.plain(document['title'])}** · {status_word} · "
        + tr("pi_counts", lang).format(
            total=len(candidates),
            accepted=int(counts.get("accepted", 0)),
            rejected=int(counts.get("rejected", 0)),
            pending=int(counts.get("pending", 0)),
        )
    )
    shown = {"all": tr("pi_filter_all", lang), "pending": tr("pi_filter_pending", lang)}
    only_pending = (
        st.radio(tr("pi_page", lang), list(shown), horizontal=True, format_func=shown.get, key="pi_show")
        == "pending"
    )
    text = _text(path, int(plan_id))
    names = indicator_names(lang)
    for c in candidates:
        if only_pending and c["review"] != "pending":
            continue
        candidate_card(path, actor, int(plan_id), c, text, names, lang, not published)
    st.caption(tr("pi_publish_help", lang))
    if st.button(tr("pi_publish", lang), type="primary", disabled=published, key="pi_publish"):
        message = tr("pi_published", lang)
        act(lambda: len(review.publish(path, actor, int(plan_id))), message.replace("{n}", "{result}"))


def main() -> None:
    lang = nav.page_header()
    st.title(tr("pi_title", lang))
    account = signin.signed_in()
    if account is None or account.role != "admin":
        st.info(tr("admin_only", lang), icon=":material/lock:")
        if account is None:
            signin.login_form(lang, "plan_import")
        st.stop()
    st.caption(tr("pi_intro", lang))
    flash(lang)
    actor = account.actor()
    upload_section(cache.path(), actor, lang)
    st.divider()
    plan_section(cache.path(), actor, lang)


main()
