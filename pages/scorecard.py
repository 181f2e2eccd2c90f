"""红绿灯 Scorecard: value, target, expected, gap, status and owner per target; meeting mode; exports.

Bounded at national scale: the table shows PAGE_ROWS rows at a time with a page number and a hint to
filter; exports are offered up to EXPORT_LIMIT rows; meeting mode builds only the screen shown."""

import streamlit as st

from indicators import vocabulary
from indicators.i18n import tr
from indicators.reporting import export
from indicators.reporting import html as report_html
from indicators.reporting import scorecard as report
from indicators.status import rollup
from pages import common
from pages import meeting as meeting_ui

ALL = "__all__"
PAGE_ROWS = 200
EXPORT_LIMIT = 5000

lang = common.page_header()
as_of = common.as_of_picker(lang)
ev = common.evaluated(as_of)
snap = meeting_ui.snapshot_picker(lang)
ev = meeting_ui.rows_shown(ev, snap)  # a snapshot's rows exactly as frozen, or the current ones with notes
cities = common.cities()
city_names = {r.code: common.city_label(r, lang) for r in cities.itertuples()}

with st.sidebar:
    st.subheader(tr("filters", lang))
    pick_cities = st.multiselect(
        tr("city", lang), list(city_names), format_func=city_names.get, key="sc_city"
    )
    pick_domains = st.multiselect(
        tr("domain", lang),
        sorted(ev.domain.unique()),
        key="sc_domain",
        format_func=lambda d: vocabulary.domain_name(d, lang),
    )
    departments = common.departments(as_of)
    pick_dept = st.selectbox(
        tr("department", lang),
        [ALL, *departments],
        key=f"sc_dept_{lang}",
        format_func=lambda d: tr("all", lang) if d == ALL else d,
    )
    pick_dept = None if pick_dept == ALL else pick_dept
    pick_status = st.multiselect(
        tr("status", lang),
        list(vocabulary.STATUSES),
        key="sc_status",
        format_func=lambda s: vocabulary.status_label(s, lang),
    )
    meeting = st.toggle(tr("meeting_mode", lang), key="sc_meeting")

shown = report.filter_evaluated(ev, pick_cities, pick_domains, pick_dept, pick_status)
as_of_text = f"{as_of:%Y-%m-%d}" if as_of else tr("as_of_latest", lang)

if meeting:
    # large type, no sidebar: one city or department per screen
    st.html(
        "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],header"
        "{display:none !important} .block-container{max-width:100% !important;padding-top:1rem}</style>"
    )
    by = (
        st.segmented_control(
            tr("meeting_by", lang),
            ["city", "department"],
            default="city",
            key="sc_by",
            format_func=lambda b: tr(f"by_{b}", lang),
        )
        or "city"
    )
    parts = report.section_frames(shown, by)
    if not parts:
        st.info(tr("no_targets", lang))
        st.stop()
    page = st.session_state.get("sc_screen", 0) % len(parts)
    left, mid, right = st.columns([1, 6, 1])
    if left.button("◀ " + tr("previous", lang), key="sc_prev"):
        st.session_state.sc_screen = page - 1
        st.rerun()
    if right.button(tr("next", lang) + " ▶", key="sc_next"):
        st.session_state.sc_screen = page + 1
        st.rerun()
    title, rows = parts[page]
    mid.markdown(f"## {title} · {as_of_text} · {page + 1}/{len(parts)}")
    st.html(report_html.scorecard_html(report.scorecard(rows, lang), lang, large=True))
    if st.button(tr("meeting_mode", lang) + " ✕", key="sc_exit"):
        st.session_state.sc_meeting = False
        st.rerun()
    st.stop()

st.title(tr("scorecard_title", lang))
summary = rollup.rollup(shown.assign(all="all"), ["all"]) if len(shown) else None
if summary is not None:
    badges = " ".join(
        f"{common.status_badge(s, lang)}&nbsp;{summary[s].iloc[0]}"
        for s in vocabulary.STATUSES
        if summary[s].iloc[0]
    )
    st.html(
        f"<div style='line-height:2'>{tr('as_of', lang)}: <b>{as_of_text}</b> · {len(shown)} "
        f"{tr('targets_n', lang)} · {badges}</div>"
    )
meeting_ui.snapshot_mark(snap, lang)
meeting_ui.since_last(lang)
meeting_ui.take_snapshot(lang)
title = tr("scorecard_title", lang)
by = "department" if pick_dept else "city"
too_many = len(shown) > EXPORT_LIMIT
export_help = tr("export_too_many", lang).format(n=EXPORT_LIMIT) if too_many else None
c1, c2, _ = st.columns([1, 1, 4])
c1.download_button(
    tr("export_pdf", lang),
    lambda: export.export_bytes(shown, "pdf", by, title, as_of, lang),
    file_name="scorecard.pdf",
    mime="application/pdf",
    key="sc_pdf",
    disabled=shown.empty or too_many,
    help=export_help,
)
c2.download_button(
    tr("export_xlsx", lang),
    lambda: export.export_bytes(shown, "xlsx", by, title, as_of, lang),
    file_name="scorecard.xlsx",
    key="sc_xlsx",
    disabled=shown.empty or too_many,
    help=export_help,
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
if shown.empty:
    st.info(tr("no_targets", lang))
    st.stop()
start = 0
if len(shown) > PAGE_ROWS:
    pages = -(-len(shown) // PAGE_ROWS)
    number = st.number_input(tr("sc_page", lang), 1, pages, 1, key=f"sc_page_{pages}")
    start = (int(number) - 1) * PAGE_ROWS
    end = min(start + PAGE_ROWS, len(shown))
    st.caption(tr("sc_rows", lang).format(a=start + 1, b=end, total=len(shown)))
page_rows = shown.iloc[start : start + PAGE_ROWS]
st.html(meeting_ui.scorecard_html(page_rows, lang))
