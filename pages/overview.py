"""总览 Overview: a card per city, the city × domain grid of worst status, and data freshness.

With many cities (a province, the whole country) the page stays bounded: a count of cities per worst status,
then cards and grid rows for the CARD_LIMIT cities needing most attention, and freshness as a summary with
the cities that are behind."""

import html

import streamlit as st

from indicators import vocabulary
from indicators.i18n import tr
from indicators.status import rollup
from pages import common
from pages import meeting as meeting_ui

lang = common.page_header()
as_of = common.as_of_picker(lang)
st.title(tr("overview_title", lang))
meeting_ui.since_last(lang)
ev = common.evaluated(as_of)
if ev.empty:
    st.info(tr("no_measurements", lang))
    st.stop()

CARD_LIMIT = 12  # cards and grid rows at most
ROW = 6  # cards per row

cities = rollup.rollup(ev, ["city", "city_zh", "city_en"])
order = list(dict.fromkeys(common.cities().code))
present = set(cities.city)
cities = cities.set_index("city").loc[[c for c in order if c in present]].reset_index()
if len(cities) > CARD_LIMIT:
    worst = cities.worst.value_counts()
    badges = " ".join(
        f"{common.status_badge(s, lang)}&nbsp;{worst[s]}" for s in vocabulary.STATUSES if s in worst
    )
    st.html(f"<div style='line-height:2'>{tr('cities_worst', lang)}: {badges}</div>")
    st.caption(tr("cities_shown", lang).format(total=len(cities), n=CARD_LIMIT))
    cities = rollup.worst_first(cities).head(CARD_LIMIT)
shown = ev[ev.city.isin(cities.city)]  # the targets of the cities on this page, filtered once
cards = [c for i in range(0, len(cities), ROW) for c in st.columns(min(ROW, len(cities) - i))]
for col, row in zip(cards, cities.itertuples(), strict=True):
    with col.container(border=True):
        st.markdown(f"#### {row.city_zh if lang == 'zh' else row.city_en}")
        share = "—" if row.share_good != row.share_good else f"{row.share_good:.0%}"
        st.metric(tr("share_good", lang), share, help=f"{row.with_data} / {row.n} {tr('targets_n', lang)}")
        badges = " ".join(
            f"{common.status_badge(s, lang)}&nbsp;{getattr(row, s)}"
            for s in vocabulary.STATUSES
            if getattr(row, s)
        )
        st.html(f"<div style='line-height:2'>{badges}</div>")
        mine = shown[shown.city == row.city].assign(
            sev=lambda f: f.status.map(vocabulary.SEVERITY).fillna(-1)
        )
        worst = mine[mine.sev >= 3].sort_values(["sev", "progress_ratio"], ascending=[False, True]).head(3)
        if len(worst):
            items = "".join(
                f"<li>{html.escape(common.name(w, 'indicator', lang))} "
                f"{common.status_badge(w.status, lang)}</li>"
                for _, w in worst.iterrows()
            )
            st.html(f"<b>{tr('worst_items', lang)}</b><ul style='padding-left:1.1rem;margin:0'>{items}</ul>")
        if st.button(tr("page_city", lang) + " →", key=f"go_{row.city}"):
            st.session_state[f"city_page_city_{lang}"] = row.city
            st.switch_page("pages/city.py")

st.subheader(tr("grid_title", lang))
if len(cities) < ev.city.nunique():
    st.caption(tr("grid_shown", lang).format(n=len(cities)))
grid = rollup.rollup(shown, ["city", "city_zh", "city_en", "domain"])
domains = sorted(grid.domain.unique())
cell = {(g.city, g.domain): (g.worst, g.n) for g in grid.itertuples()}
head = "".join(f"<th>{html.escape(vocabulary.domain_name(d, lang))}</th>" for d in domains)
lines = []
for city in cities.itertuples():
    cells = []
    for d in domains:
        hit = cell.get((city.city, d))
        cells.append(
            f"<td>{common.status_badge(hit[0], lang)} <small>({hit[1]})</small></td>" if hit else "<td></td>"
        )
    label = city.city_zh if lang == "zh" else city.city_en
    lines.append(f"<tr><th>{html.escape(label)}</th>{''.join(cells)}</tr>")
st.html(
    "<style>.grid td,.grid th{padding:.35rem .5rem;border-bottom:1px solid #e3e8ee;text-align:left}"
    ".grid{border-collapse:collapse;font-size:.9rem}</style>"
    f"<table class='grid'><tr><th></th>{head}</tr>{''.join(lines)}</table>"
)

st.subheader(tr("freshness", lang))
fresh = common.freshness()
if len(fresh) > CARD_LIMIT:
    behind = fresh[fresh.months_behind > 0]
    newest = fresh.latest.max()
    st.info(
        tr("fresh_summary", lang).format(
            up=len(fresh) - len(behind), behind=len(behind), month=f"{newest:%Y-%m}"
        )
    )
    if len(behind) > CARD_LIMIT:
        st.caption(tr("fresh_more", lang).format(n=len(behind) - CARD_LIMIT))
    fresh = behind.head(CARD_LIMIT)
for row in fresh.itertuples():
    label = row.city_zh if lang == "zh" else row.city_en
    if row.months_behind > 0:
        st.warning(
            f"**{label}** {tr('stale_warning', lang)}: {tr('latest_month', lang)} {row.latest:%Y-%m}, "
            f"{tr('behind_months', lang)} {row.months_behind}",
            icon="⚠️",
        )
    else:
        st.success(f"**{label}** {tr('up_to_date', lang)} ({row.latest:%Y-%m})", icon="✅")
