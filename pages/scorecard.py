"""红绿灯 Scorecard: value, target, expected, gap, status and owner per target; meeting mode; exports.

Bounded at national scale: the filtered rows are positions in the cached evaluation (cache.screen, built
once per filter and write) and the table takes and shows PAGE_ROWS of them at a time, with a page number
and a hint to filter; exports are made when asked for, up to EXPORT_LIMIT rows, and hold exactly the rows
the screen is filtered to, under the screen's title; meeting mode builds only the screen shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from indicators import vocabulary
from indicators.i18n import tr, tr_code
from indicators.reporting import scorecard as report
from pages import cache, nav
from pages import meeting as meeting_ui
from pages.common import as_of_picker, status_badge

ALL = "__all__"
PAGE_ROWS = 200
EXPORT_LIMIT = 5000
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _leave_meeting() -> None:
    st.session_state.sc_meeting = False


def _enter_meeting() -> None:
    st.session_state.sc_screen = 0  # meeting mode starts from the first city or department


def filters(ev: pd.DataFrame, as_of: dt.date | None, lang: str) -> tuple[cache.Filters, bool]:
    """The sidebar's filters and the meeting-mode toggle."""
    city_names = cache.city_labels(lang)
    placeholder = tr("choose", lang)
    with st.sidebar:
        st.subheader(tr("filters", lang))
        cities = st.multiselect(
            tr("city", lang),
            list(city_names),
            format_func=city_names.get,
            key="sc_city",
            placeholder=placeholder,
        )
        domains = st.multiselect(
            tr("domain", lang),
            sorted(ev.domain.unique()),
            key="sc_domain",
            format_func=lambda d: vocabulary.domain_name(d, lang),
            placeholder=placeholder,
        )
        dept = st.selectbox(
            tr("department", lang),
            [ALL, *cache.departments(as_of)],
            key=f"sc_dept_{lang}",
            format_func=lambda d: tr("all", lang) if d == ALL else d,
        )
        statuses = st.multiselect(
            tr("status", lang),
            list(vocabulary.STATUSES),
            key="sc_status",
            format_func=lambda s: vocabulary.status_label(s, lang),
            placeholder=placeholder,
        )
        meeting = st.toggle(tr("meeting_mode", lang), key="sc_meeting", on_change=_enter_meeting)
    chosen = cache.Filters(tuple(cities), tuple(domains), None if dept == ALL else dept, tuple(statuses))
    return chosen, meeting


def section_title(chosen: cache.Filters, lang: str) -> str:
    """What the screen is filtered to, in words: the export's section title (and sheet name)."""
    names = cache.cities().set_index("code")["name_zh" if lang == "zh" else "name_en"]
    parts = [chosen.department] if chosen.department else []
    parts += ["、".join(str(names.get(c, c)) for c in chosen.cities)] if chosen.cities else []
    parts += ["、".join(vocabulary.domain_name(d, lang) for d in chosen.domains)] if chosen.domains else []
    parts += ["、".join(vocabulary.status_label(s, lang) for s in chosen.statuses)] if chosen.statuses else []
    return " · ".join(parts) or tr("all", lang)


def as_of_text(shown: pd.DataFrame, as_of: dt.date | None, lang: str) -> str:
    """The exact date, or the month(s) each city is evaluated as of: never only "latest"."""
    months = sorted(set(pd.to_datetime(shown["as_of"]).dt.strftime("%Y-%m"))) if len(shown) else []
    return as_of_words(months, as_of, lang)


def as_of_words(months: Sequence[str], as_of: dt.date | None, lang: str) -> str:
    """as_of_text of rows evaluated as of these months ("YYYY-MM", sorted)."""
    if as_of:
        return f"{as_of:%Y-%m-%d}"
    return tr("as_of_months", lang).format(months="、".join(months) or "—")


def meeting_screen(shown: pd.DataFrame, as_of: dt.date | None, lang: str) -> None:
    """Large type, no sidebar: one city or department per screen."""
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
            format_func=lambda b: tr_code("scorecard_by", b, lang),
        )
        or "city"
    )
    # the toggle was drawn in this run, so its state may only change in a callback, before the next run
    st.button(tr("meeting_mode", lang) + " ✕", key="sc_exit", on_click=_leave_meeting)
    parts = report.section_frames(shown.sort_index(), by)
    if by == "city":  # the cities in the catalog's order (as the overview lists them), from the first
        order = {code: i for i, code in enumerate(cache.cities()["code"])}
        parts.sort(key=lambda part: order.get(str(part[1]["city"].iloc[0]), len(order)))
    if not parts:
        st.info(tr("no_targets", lang))
        return
    page = st.session_state.get("sc_screen", 0) % len(parts)
    left, mid, right = st.columns([1, 6, 1])
    if left.button("◀ " + tr("previous", lang), key="sc_prev"):
        st.session_state.sc_screen = page - 1
        st.rerun()
    if right.button(tr("next", lang) + " ▶", key="sc_next"):
        st.session_state.sc_screen = page + 1
        st.rerun()
    title, rows = parts[page]
    mid.markdown(f"## {title} · {as_of_text(rows, as_of, lang)} · {page + 1}/{len(parts)}")
    rows = report.worst_first(rows)  # exceptions first on every screen
    st.html(meeting_ui.scorecard_html(rows, lang, large=True, drop=("city",) if by == "city" else ()))


def export_buttons(n: int, as_of: dt.date | None, chosen: cache.Filters, section: str, lang: str) -> None:
    """Each file is built when asked for — the Excel file of 5,000 rows takes seconds, the PDF more — then
    offered: either file exists before its download button does. `n`: the rows of the screen."""
    title = tr("scorecard_title", lang)
    too_many = n > EXPORT_LIMIT
    off = n == 0 or too_many
    why = tr("export_too_many", lang).format(n=EXPORT_LIMIT) if too_many else None
    wanted = (cache._version(), as_of, chosen, section, lang)  # a file of other data is made again
    with st.container(horizontal=True):
        if st.session_state.get("sc_xlsx_for") == wanted and not off:
            xlsx = cache.export_file(as_of, chosen, "xlsx", title, section, lang)
            st.download_button(tr("export_xlsx", lang), xlsx, "scorecard.xlsx", XLSX_MIME, key="sc_xlsx")
        elif st.button(tr("export_xlsx_make", lang), key="sc_xlsx_make", disabled=off, help=why):
            with st.spinner(tr("export_xlsx_making", lang)):
                cache.export_file(as_of, chosen, "xlsx", title, section, lang)
            st.session_state.sc_xlsx_for = wanted
            st.rerun()
        if st.session_state.get("sc_pdf_for") == wanted and not off:
            pdf = cache.export_file(as_of, chosen, "pdf", title, section, lang)
            st.download_button(
                tr("export_pdf", lang), pdf, "scorecard.pdf", "application/pdf", key="sc_pdf", type="primary"
            )
        elif st.button(tr("export_pdf_make", lang), key="sc_pdf_make", disabled=off, help=why):
            with st.spinner(tr("export_pdf_making", lang)):
                cache.export_file(as_of, chosen, "pdf", title, section, lang)
            st.session_state.sc_pdf_for = wanted
            st.rerun()


def table(base: pd.DataFrame, screen: report.Screen, current: bool, lang: str) -> None:
    """The screen's rows PAGE_ROWS at a time: only the rows of the page shown are taken and annotated."""
    start = 0
    if len(screen) > PAGE_ROWS:
        pages = -(-len(screen) // PAGE_ROWS)
        number = st.number_input(tr("sc_page", lang), 1, pages, 1, key=f"sc_page_{pages}")
        start = (int(number) - 1) * PAGE_ROWS
        end = min(start + PAGE_ROWS, len(screen))
        st.caption(tr("sc_rows", lang).format(a=start + 1, b=end, total=len(screen)))
    rows = shown_rows(base, screen, current, lang, start, start + PAGE_ROWS)
    st.html(meeting_ui.scorecard_html(rows, lang))


def shown_rows(
    base: pd.DataFrame,
    screen: report.Screen,
    current: bool,
    lang: str,
    start: int = 0,
    stop: int | None = None,
) -> pd.DataFrame:
    """Rows start:stop of the screen, worst first; current data: with each target's note in force and its
    change since the last snapshot (a snapshot's rows carry their own notes)."""
    rows = screen.rows(base, start, stop)
    if current:
        rows = meeting_ui.with_changes(meeting_ui.with_notes(rows), lang)
    return rows


def main() -> None:
    lang = nav.page_header()
    as_of = as_of_picker(lang)
    ev = cache.evaluated(as_of)
    snap = meeting_ui.snapshot_picker(lang)
    base = ev if snap is None else meeting_ui.rows_shown(ev, snap)  # a snapshot's rows exactly as frozen
    chosen, meeting = filters(base, as_of, lang)
    # the filtered rows worst first, as positions (cached per filter and write for the current data): the
    # rows themselves are taken a page at a time
    screen = cache.screen(as_of, chosen) if snap is None else chosen.screen(base)
    if meeting:
        meeting_screen(shown_rows(base, screen, snap is None, lang), as_of, lang)
        st.stop()
    section = section_title(chosen, lang)
    # the table's thirteen columns get the page's width: less of Streamlit's side padding
    st.html("<style>[data-testid=stMainBlockContainer]{padding-left:1.5rem;padding-right:1.5rem}</style>")
    st.title(tr("scorecard_title", lang))
    st.subheader(section)
    meeting_ui.snapshot_mark(snap, lang)
    meeting_ui.since_last(lang)
    meeting_ui.take_snapshot(lang)
    if len(screen):
        counts = " ".join(f"<span>{status_badge(s, lang)}&nbsp;{n}</span>" for s, n in screen.counts.items())
        st.html(
            f"<div>{tr('as_of', lang)}: <b>{as_of_words(screen.months, as_of, lang)}</b> · "
            f"{len(screen)} {tr('targets_n', lang)}</div><div class='badges'>{counts}</div>"
        )
    export_buttons(len(screen), as_of, chosen, section, lang)
    if not len(screen):
        st.info(tr("no_targets", lang))
        st.stop()
    table(base, screen, snap is None, lang)


main()
