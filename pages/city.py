"""城市 City: every target of one city with its chart, definition, source clause and data; the gap table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from indicators import vocabulary
from indicators.catalog.commitments import restated
from indicators.i18n import tr, tr_code
from indicators.reporting.numbers import decimals, text, unit_label
from indicators.status import explain
from pages import cache, nav
from pages import meeting as meeting_ui
from pages.common import as_of_picker, name, status_badge


def about_chart(row: pd.Series, history: pd.DataFrame, plan_titles: dict[str, str], lang: str) -> None:
    """The chart's one-line definition, its source clause on demand, and its data as CSV."""
    st.caption(tr_code("chart_definition", row.aggregation, lang))
    with st.expander(tr("chart_source", lang), icon=":material/format_quote:"):
        for mention in [row, *restated(row)]:  # a restated commitment: each of its clauses
            st.markdown(f"「{mention['quote']}」")
            st.caption(plan_titles.get(mention["source_file"], mention["source_file"]))
    csv = history.assign(period=history["period"].dt.strftime("%Y-%m")).rename(
        columns={
            "period": tr("up_period", lang),
            "reported": tr("chart_reported", lang),
            "evaluation": tr("chart_evaluation", lang),
        }
    )
    st.download_button(
        tr("chart_csv", lang),
        csv.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{row.target_id}.csv",
        mime="text/csv",
        key=f"csv_{row.target_id}",
        icon=":material/download:",
    )


def target_card(row: pd.Series, as_of: dt.date | None, plan_titles: dict[str, str], lang: str) -> None:
    history, chart = cache.target_chart(row, as_of, lang)  # charts.target_chart, built once per write
    if chart is None:
        st.markdown(f"**{name(row, 'indicator', lang)}** — {tr('no_measurements', lang)}")
    else:
        st.plotly_chart(chart, key=f"chart_{row.target_id}")
    explanation = row.explanation_zh if lang == "zh" else row.explanation_en
    mark = ""
    if bool(row.get("provisional", False)):  # too few months with enough valid days (issue 12)
        mark = (
            "<span style='border:2px dashed #222;padding:0 .4rem;border-radius:.3rem;font-weight:600;"
            f"white-space:nowrap'>{tr('provisional_mark', lang)}</span> "
        )
    st.html(f"{status_badge(row.status, lang)} {mark}<span style='font-size:.9rem'>{explanation}</span>")
    if bool(row.deadline_reached) and pd.notna(row.value):
        st.caption(tr("value_at_deadline", lang).format(value=text(row.value, decimals(row.indicator))))
    if pd.notna(row.required_average):
        unit = unit_label(row.canonical_unit, lang)
        value = text(row.required_average, decimals(row.indicator))
        st.metric(tr("required_average", lang), f"{value} {unit}".strip())
    if not history.empty:
        about_chart(row, history, plan_titles, lang)


def cards(
    shown: pd.DataFrame, as_of: dt.date | None, plan_titles: dict[str, str], strip: dict[str, str], lang: str
) -> None:
    """Every target card of the domain (status strip, chart, explanation, definition, source, data), in two
    columns; the charts and strips come built from the shared cache (pages/cache.py)."""
    cols = st.columns(2)
    for i, (_, row) in enumerate(shown.iterrows()):
        with cols[i % 2].container(border=True):
            if strip.get(row.target_id):
                st.html(strip[row.target_id])
            target_card(row, as_of, plan_titles, lang)


def main() -> None:
    lang = nav.page_header()
    as_of: dt.date | None = as_of_picker(lang)
    st.title(tr("city_title", lang))
    labels = cache.city_labels(lang)
    city = st.selectbox(tr("city", lang), list(labels), format_func=labels.get, key=f"city_page_city_{lang}")
    ev = cache.evaluated(as_of)
    mine = ev[ev.city == city]
    if mine.empty:
        st.info(tr("no_targets", lang))
        st.stop()
    meeting_ui.note_entry(city, mine, lang)
    st.plotly_chart(cache.city_stacked_chart(city, lang), key=f"stacked_{city}")
    domains = list(dict.fromkeys(mine.sort_values("domain").domain))
    domain = st.radio(
        tr("domain", lang),
        domains,
        horizontal=True,
        key=f"city_domain_{city}",
        format_func=lambda d: f"{vocabulary.domain_name(d, lang)} ({(mine.domain == d).sum()})",
    )
    st.caption(tr("chart_png", lang))
    targets = cache.targets(city)
    plan_titles = dict(zip(targets.source_file, targets.plan_title_zh, strict=True))
    # the sentences of the targets shown; the active ones first, the closed ones after them
    shown = explain.add_explanations(
        mine[mine.domain == domain].sort_values("deadline_reached", kind="stable")
    )
    strip = cache.status_strips(city, lang)  # each card's strip, built once per write
    cards(shown, as_of, plan_titles, strip, lang)
    st.subheader(tr("gap_table", lang))
    st.html(meeting_ui.scorecard_html(meeting_ui.with_notes(mine), lang))


main()
