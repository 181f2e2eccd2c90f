"""责任单位 Department: every target of one responsible unit across cities, lead and cooperating apart."""

from __future__ import annotations

import streamlit as st

from indicators.i18n import tr
from indicators.reporting import html as report_html
from indicators.reporting import scorecard as report
from indicators.status import rollup
from pages import cache, nav
from pages.common import as_of_picker


def main() -> None:
    lang = nav.page_header()
    as_of = as_of_picker(lang)
    st.title(tr("department_title", lang))
    ev = cache.evaluated(as_of)
    depts = rollup.by_department(ev)
    counts = depts.groupby("department").n.sum().sort_values(ascending=False)
    dept = st.selectbox(
        tr("department", lang),
        list(counts.index),
        key=f"department_name_{lang}",
        format_func=lambda d: f"{d} ({counts[d]} {tr('n_short', lang)})",
    )
    for column, role in (("responsible", "role_lead"), ("cooperating", "role_cooperating")):
        mine = ev[ev[column].map(lambda units, d=dept: d in list(units))]
        st.subheader(f"{tr(role, lang)} · {len(mine)}")
        if len(mine):
            st.html(report_html.scorecard_html(report.scorecard(mine, lang), lang))
        else:
            st.caption(tr("no_targets", lang))


main()
