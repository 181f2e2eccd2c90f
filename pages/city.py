"""城市 City: every target of one city with its chart and explanation; the gap table below."""

import streamlit as st

from indicators import vocabulary
from indicators.i18n import tr
from indicators.reporting import charts
from indicators.status import explain
from indicators.status import service as status
from pages import common
from pages import meeting as meeting_ui

lang = common.page_header()
as_of = common.as_of_picker(lang)
st.title(tr("city_title", lang))

cities = common.cities()
labels = {row.code: common.city_label(row, lang) for row in cities.itertuples()}
city = st.selectbox(tr("city", lang), list(labels), format_func=labels.get, key=f"city_page_city_{lang}")
ev = common.evaluated(as_of)
mine = ev[ev.city == city]
if mine.empty:
    st.info(tr("no_targets", lang))
    st.stop()

meeting_ui.note_entry(city, mine, lang)
strips = meeting_ui.city_history(city)
st.plotly_chart(meeting_ui.stacked_chart(strips, lang), key=f"stacked_{city}")
domains = list(dict.fromkeys(mine.sort_values("domain").domain))
domain = st.radio(
    tr("domain", lang),
    domains,
    horizontal=True,
    key=f"city_domain_{city}",
    format_func=lambda d: f"{vocabulary.domain_name(d, lang)} ({(mine.domain == d).sum()})",
)
st.caption(tr("chart_png", lang))
meas = common.measurements(city=city)
shown = explain.add_explanations(mine[mine.domain == domain])  # the sentences of the targets shown
cols = st.columns(2)
for i, (_, row) in enumerate(shown.iterrows()):
    with cols[i % 2].container(border=True):
        history = status.evaluation_series(
            meas, row.city, row.indicator, row.aggregation, row.as_of, row.t_base
        )
        if history.empty:
            st.markdown(f"**{common.name(row, 'indicator', lang)}** — {tr('no_measurements', lang)}")
        else:
            st.plotly_chart(charts.target_chart(row, history, lang), key=f"chart_{row.target_id}")
        meeting_ui.status_strip(strips, row.target_id, lang)
        st.html(
            f"{common.status_badge(row.status, lang)} "
            f"<span style='font-size:.9rem'>{row.explanation_zh if lang == 'zh' else row.explanation_en}"
            "</span>"
        )
        if row.required_average == row.required_average:
            st.metric(tr("required_average", lang), f"{row.required_average:,.1f} {row.unit}")

st.subheader(tr("gap_table", lang))
st.html(meeting_ui.scorecard_html(meeting_ui.with_notes(mine), lang))
