"""目标 Targets: every target of one city, grouped by domain, with its clause and responsible units."""

import streamlit as st

from indicators import display
from indicators.i18n import tr
from pages import common

ALL = "__all__"

lang = common.page_header()
st.title(tr("targets_title", lang))
st.caption(tr("targets_intro", lang))

cities = common.cities()
labels = {row.code: common.city_label(row, lang) for row in cities.itertuples()}
labels[ALL] = tr("all_cities", lang)
city = st.selectbox(tr("city", lang), list(labels), format_func=labels.get, key=f"targets_city_{lang}")
frame = common.targets(None if city == ALL else city)

domains = list(dict.fromkeys(frame.domain))
choice = st.pills(
    tr("domain", lang),
    domains,
    format_func=lambda d: display.domain_name(d, lang),
    selection_mode="multi",
    key="targets_domains",
)
if choice:
    frame = frame[frame.domain.isin(choice)]

plans = "；".join(dict.fromkeys(frame.plan_title_zh))
if city == ALL:
    st.markdown(f"**{labels[ALL]}** · {len(frame)} {tr('n_targets', lang)}")
else:
    row = cities.set_index("code").loc[city]
    st.markdown(
        f"**{row.name_zh} {row.name_en}** · {row.province_zh} {row.province_en} · "
        f"{len(frame)} {tr('n_targets', lang)}  \n{tr('plans', lang)}: {plans}"
    )

st.html(display.targets_html(frame, lang))
