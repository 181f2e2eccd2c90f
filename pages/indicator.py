"""指标 Indicator: one indicator across all cities, each against its own target."""

import streamlit as st

from indicators import units
from indicators.i18n import tr
from indicators.reporting import charts
from indicators.reporting import html as report_html
from indicators.reporting import scorecard as report
from indicators.status import service as status
from pages import common

lang = common.page_header()
as_of = common.as_of_picker(lang)
st.title(tr("indicator_title", lang))

ev = common.evaluated(as_of)
names = (
    ev.drop_duplicates("indicator")
    .assign(n=ev.groupby("indicator").city.transform("nunique"))
    .sort_values(["n", "indicator"], ascending=[False, True])
)
options = {r.indicator: f"{common.name(r, 'indicator', lang)} ({r.n})" for _, r in names.iterrows()}
code = st.selectbox(
    tr("indicator", lang), list(options), format_func=options.get, key=f"indicator_code_{lang}"
)
rows = ev[ev.indicator == code].sort_values(["city", "deadline"])
absolute = rows[rows.value.notna()]
if len(absolute):
    st.plotly_chart(charts.comparison_chart(absolute, lang), key="comparison")
st.html(report_html.scorecard_html(report.scorecard(rows, lang), lang))

meas = common.measurements(indicator=code)
histories, goals = {}, {}
for _, row in rows.drop_duplicates("city").iterrows():
    h = status.evaluation_series(meas, row.city, row.indicator, row.aggregation, row.as_of, row.t_base)
    if not h.empty:
        label = common.name(row, "city", lang)
        histories[label], goals[label] = h, row.target_level
if histories:
    unit = units.label(rows.canonical_unit.iloc[0], lang)
    st.plotly_chart(charts.small_multiple(histories, goals, unit, lang), key="multiples")
