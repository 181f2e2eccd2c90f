"""总览 Overview: a card per city, the city × domain grid of worst status, and data freshness per indicator.

With many cities (a province, the whole country) the page stays bounded: a count of cities per worst status,
then cards and grid rows for the CARD_LIMIT cities needing most attention, and freshness as a summary with
the cities that are behind."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from indicators import vocabulary
from indicators.i18n import tr
from indicators.status import rollup
from pages import cache, nav
from pages import meeting as meeting_ui
from pages.common import as_of_picker, name, status_badge

CARD_LIMIT = 12  # cards and grid rows at most
ROW = 3  # cards per row: at 1024 px (sidebar open) wider cards keep their badges and counts inside


def badges(counts: dict[str, int], lang: str) -> str:
    parts = [
        f"<span>{status_badge(s, lang)}&nbsp;{counts[s]}</span>" for s in vocabulary.STATUSES if counts.get(s)
    ]
    return f"<div class='badges'>{''.join(parts)}</div>"


def city_cards(cities: pd.DataFrame, shown: pd.DataFrame, lang: str) -> None:
    cards = [c for i in range(0, len(cities), ROW) for c in st.columns(ROW)][: len(cities)]
    for col, row in zip(cards, cities.itertuples(), strict=True):
        with col.container(border=True):
            st.markdown(f"#### {row.city_zh if lang == 'zh' else row.city_en}")
            share = "—" if pd.isna(row.share_good_all) else f"{row.share_good_all:.0%}"
            good = row.met + row.on_schedule
            help_text = tr("share_help", lang).format(good=good, n=row.n, no_data=row.no_data)
            st.metric(tr("share_good", lang), share, help=help_text)
            st.html(badges({s: getattr(row, s) for s in vocabulary.STATUSES}, lang))
            worst = rollup.worst_items(shown[shown.city == row.city], 3)
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


def grid(cities: pd.DataFrame, shown: pd.DataFrame, lang: str) -> str:
    """The city × domain table: each cell the worst status and the number of targets; scrolls sideways."""
    rolled = rollup.rollup(shown, ["city", "city_zh", "city_en", "domain"])
    domains = sorted(rolled.domain.unique())
    cell = {(g.city, g.domain): (g.worst, g.n) for g in rolled.itertuples()}
    head = "".join(f"<th>{html.escape(vocabulary.domain_name(d, lang))}</th>" for d in domains)
    unit = tr("n_short", lang)
    lines = []
    for city in cities.itertuples():
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


def freshness_section(fresh: pd.DataFrame, indicator_names: dict[str, str], lang: str) -> None:
    st.subheader(tr("freshness", lang))
    if fresh.empty:
        st.caption(tr("no_measurements", lang))
        return
    st.caption(tr("fresh_intro", lang).format(month=f"{fresh.month.iloc[0]:%Y-%m}"))
    incomplete = fresh[fresh.reported < fresh.expected]
    if len(fresh) > CARD_LIMIT:
        st.info(
            tr("fresh_summary", lang).format(
                up=len(fresh) - len(incomplete), behind=len(incomplete), month=f"{fresh.month.iloc[0]:%Y-%m}"
            )
        )
        if len(incomplete) > CARD_LIMIT:
            st.caption(tr("fresh_more", lang).format(n=len(incomplete) - CARD_LIMIT))
        fresh = incomplete.head(CARD_LIMIT)
    for row in fresh.itertuples():
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
    ev = cache.evaluated(as_of)
    if ev.empty:
        st.info(tr("no_measurements", lang))
        st.stop()
    cities = rollup.rollup(ev, ["city", "city_zh", "city_en"])
    order = list(dict.fromkeys(cache.cities().code))
    present = set(cities.city)
    cities = cities.set_index("city").loc[[c for c in order if c in present]].reset_index()
    if len(cities) > CARD_LIMIT:
        worst = cities.worst.value_counts()
        st.html(f"<div>{tr('cities_worst', lang)}:</div>{badges(worst.to_dict(), lang)}")
        st.caption(tr("cities_shown", lang).format(total=len(cities), n=CARD_LIMIT))
        cities = rollup.worst_first(cities).head(CARD_LIMIT)
    shown = ev[ev.city.isin(cities.city)]  # the targets of the cities on this page, filtered once
    city_cards(cities, shown, lang)
    st.subheader(tr("grid_title", lang))
    if len(cities) < ev.city.nunique():
        st.caption(tr("grid_shown", lang).format(n=len(cities)))
    st.caption(tr("grid_help", lang))
    st.html(grid(cities, shown, lang))
    names = ev.drop_duplicates("indicator")
    indicator_names = dict(
        zip(names.indicator, names["indicator_zh" if lang == "zh" else "indicator_en"], strict=True)
    )
    freshness_section(cache.freshness(), indicator_names, lang)


main()
