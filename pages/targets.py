"""目标 Targets: every target of one city, grouped by domain, with its clause and responsible units."""

import streamlit as st

from indicators import display
from indicators.i18n import tr
from pages import common

lang = st.session_state.get("lang", "zh")
st.title(tr("targets_title", lang))
st.caption(tr("targets_intro", lang))

cities = common.cities()
labels = {row.code: common.city_label(row, lang) for row in cities.itertuples()}
city = st.selectbox(tr("city", lang), list(labels), format_func=labels.get, key="targets_city")
frame = common.targets(city)

domains = list(dict.fromkeys(frame.domain))
choice = st.pills(tr("domain", lang), domains, format_func=lambda d: display.domain_name(d, lang),
                  selection_mode="multi", key="targets_domains")
if choice:
    frame = frame[frame.domain.isin(choice)]

city_row = cities.set_index("code").loc[city]
plans = sorted(set(frame.plan_title_zh))
st.markdown(f"**{city_row.name_zh} {city_row.name_en}** · {city_row.province_zh} {city_row.province_en} · "
            f"{len(frame)} {tr('n_targets', lang)}  \n{tr('plans', lang)}: " + "；".join(plans))

st.html(display.targets_html(frame, lang))
