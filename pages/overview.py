"""总览 Overview: a card per city, the city × domain grid of worst status, and data freshness per indicator.

With many cities (a province, the whole country) the page stays bounded: a count of cities per worst status,
then cards and grid rows for the CARD_LIMIT cities needing most attention, and freshness as a summary with
the cities that are behind. The tables are built once per write (indicators/reporting/overview.py, cached in
pages/cache.py and filled at server start): a page run only draws them."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from indicators import vocabulary
from indicators.i18n import tr
from indicators.reporting import freshness
from indicators.reporting import overview as overview_model
from pages import cache, nav
from pages import meeting as meeting_ui
from pages.common import as_of_picker, name, status_badge

CARD_LIMIT = overview_model.LIMIT  # cards and grid rows at most
ROW = 3  # cards per row: at 1024 px (sidebar open) wider cards keep their badges and counts inside


def badges(counts: dict[str, int], lang: str) -> str:
    parts = [
        f"<span>{status_badge(s, lang)}&nbsp;{counts[s]}</span>" for s in vocabulary.STATUSES if counts.get(s)
    ]
    return f"<div class='badges'>{''.join(parts)}</div>"


def city_cards(view: overview_model.Overview, lang: str) -> None:
    cities = view.cities
    cards = [c for i in range(0, len(cities), ROW) for c in st.columns(ROW)][: len(cities)]
    for col, row in zip(cards, cities.itertuples(), strict=True):
        with col.container(border=True):
            st.markdown(f"#### {row.city_zh if lang == 'zh' else row.city_en}")
            share = "—" if pd.isna(row.share_good_all) else f"{row.share_good_all:.0%}"
            good = row.met + row.on_schedule
            help_text = tr("share_help", lang).format(good=good, n=row.n, no_data=row.no_data)
            st.metric(tr("share_good", lang), share, help=help_text)
            st.html(badges({s: getattr(row, s) for s in vocabulary.STATUSES}, lang))
            worst = view.worst[view.worst.city == row.city]
            if len(worst):
                items = "".join(
                    f"<li>{html.escape(name(w, 'indicator', lang))} {status_badge(w.status, lang)}</li>"
                    for _, w in worst.iterrows()
                )
                st.html(
                    f"<b>{tr('worst_items', lang)}</b><ul style='padding-left:1.1rem;margin:0'>{items}</ul>"
                )
            if st.button(tr("page_city", lang) + " →", key=f"go_{row.city}"):
                st.session_state[f"city_page_city_{lang}"] = row.city
                st.switch_page("pages/city.py")


def grid(view: overview_model.Overview, lang: str) -> str:
    """The city × domain table: each cell the worst status and the number of targets; scrolls sideways."""
    domains = view.domains
    cell = {(g.city, g.domain): (g.worst, g.n) for g in view.grid.itertuples()}
    head = "".join(f"<th>{html.escape(vocabulary.domain_name(d, lang))}</th>" for d in domains)
    unit = tr("n_short", lang)
    lines = []
    for city in view.cities.itertuples():
        cells = []
        for d in domains:
            hit = cell.get((city.city, d))
            cells.append(
                f"<td>{status_badge(hit[0], lang)} <small>{hit[1]}&nbsp;{unit}</small></td>"
                if hit
                else "<td></td>"
            )
        label = city.city_zh if lang == "zh" else city.city_en
        lines.append(f"<tr><th class='city'>{html.escape(label)}</th>{''.join(cells)}</tr>")
    return (
        "<style>.grid td,.grid th{padding:.35rem .5rem;border-bottom:1px solid #e3e8ee;text-align:left;"
        "white-space:nowrap}.grid{border-collapse:collapse;font-size:.9rem}</style>"
        f"<div class='scroll-x'><table class='grid'><tr><th></th>{head}</tr>{''.join(lines)}</table></div>"
    )


def freshness_section(fresh: freshness.Summary, indicator_names: dict[str, str], lang: str) -> None:
    st.subheader(tr("freshness", lang))
    if fresh.month is None:
        st.caption(tr("no_measurements", lang))
        return
    st.caption(tr("fresh_intro", lang).format(month=f"{fresh.month:%Y-%m}"))
    if fresh.cities > CARD_LIMIT:
        st.info(
            tr("fresh_summary", lang).format(up=fresh.up, behind=fresh.behind, month=f"{fresh.month:%Y-%m}")
        )
        if fresh.behind > CARD_LIMIT:
            st.caption(tr("fresh_more", lang).format(n=fresh.behind - CARD_LIMIT))
    for row in fresh.rows.itertuples():
        label = row.city_zh if lang == "zh" else row.city_en
        counts = tr("fresh_counts", lang).format(reported=row.reported, expected=row.expected)
        if row.reported == row.expected:
            st.success(f"**{label}** {tr('up_to_date', lang)} · {counts}", icon=":material/check_circle:")
            continue
        latest = "—" if pd.isna(row.latest) else f"{row.latest:%Y-%m}"
        missing = "、".join(indicator_names.get(c, c) for c in row.missing[:5])
        more = tr("fresh_and_more", lang).format(n=len(row.missing) - 5) if len(row.missing) > 5 else ""
        st.warning(
            f"**{label}** {counts} · {tr('latest_month', lang)} {latest}  \n"
            f"{tr('fresh_missing', lang)}: {missing}{more}",
            icon=":material/warning:",
        )


def main() -> None:
    lang = nav.page_header()
    as_of = as_of_picker(lang)
    st.title(tr("overview_title", lang))
    meeting_ui.since_last(lang)
    view = cache.overview(as_of)  # built once per write (and as-of date): the page only draws it
    if view.empty:
        st.info(tr("no_measurements", lang))
        st.stop()
    if view.truncated:
        st.html(f"<div>{tr('cities_worst', lang)}:</div>{badges(view.worst_counts, lang)}")
        st.caption(tr("cities_shown", lang).format(total=view.listed, n=CARD_LIMIT))
    city_cards(view, lang)
    st.subheader(tr("grid_title", lang))
    if len(view.cities) < view.evaluated_cities:
        st.caption(tr("grid_shown", lang).format(n=len(view.cities)))
    st.caption(tr("grid_help", lang))
    st.html(grid(view, lang))
    names = view.indicator_names
    indicator_names = dict(
        zip(names.indicator, names["indicator_zh" if lang == "zh" else "indicator_en"], strict=True)
    )
    freshness_section(cache.freshness_summary(), indicator_names, lang)


main()
