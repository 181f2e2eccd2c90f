"""指标 Indicator: one indicator across all cities, each against its own target."""

from __future__ import annotations

import streamlit as st

from indicators.i18n import tr, tr_code
from indicators.reporting import charts
from indicators.reporting import html as report_html
from indicators.reporting import scorecard as report
from indicators.reporting.numbers import unit_label
from indicators.status import service as status
from pages import cache, nav
from pages.common import as_of_picker, name


def main() -> None:
    lang = nav.page_header()
    as_of = as_of_picker(lang)
    st.title(tr("indicator_title", lang))
    ev = cache.evaluated(as_of)
    names = (
        ev.drop_duplicates("indicator")
        .assign(n=ev.groupby("indicator").city.transform("nunique"))
        .sort_values(["n", "indicator"], ascending=[False, True])
    )
    options = {r.indicator: f"{name(r, 'indicator', lang)} ({r.n})" for _, r in names.iterrows()}
    code = st.selectbox(
        tr("indicator", lang), list(options), format_func=options.get, key=f"indicator_code_{lang}"
    )
    rows = ev[ev.indicator == code].sort_values(["city", "deadline"])
    absolute = rows[rows.value.notna()]
    if len(absolute):
        st.caption(tr("comparison_def", lang))
        st.plotly_chart(charts.comparison_chart(absolute, lang), key="comparison")
    st.html(report_html.scorecard_html(report.scorecard(rows, lang), lang))
    meas = cache.measurements(indicator=code)
    histories, goals = {}, {}
    for _, row in rows.drop_duplicates("city").iterrows():
        h = status.evaluation_series(meas, row.city, row.indicator, row.aggregation, row.as_of, row.t_base)
        if not h.empty:
            label = name(row, "city", lang)
            histories[label], goals[label] = h, row.target_level
    if histories:
        unit = unit_label(rows.canonical_unit.iloc[0], lang)
        st.caption(tr_code("chart_definition", rows.aggregation.iloc[0], lang))
        st.plotly_chart(charts.small_multiple(histories, goals, unit, lang), key="multiples")


main()
