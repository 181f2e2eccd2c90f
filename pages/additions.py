"""The admin page's forms that add a city or an indicator beside the catalog (catalog.additions): checked as
the catalog files are, every problem listed."""

from __future__ import annotations

import streamlit as st

from indicators.accounts.actor import Actor
from indicators.catalog import additions
from indicators.errors import DabiaoError
from indicators.i18n import tr
from indicators.vocabulary import AGGREGATIONS, DOMAINS, LEVELS, POLARITIES, aggregation_words, domain_name
from pages import common


def _aliases(text: str) -> list[str]:
    return [a.strip() for a in text.replace("，", "、").replace(",", "、").split("、") if a.strip()]


def _add(action, name: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    try:
        action()
    except DabiaoError as exc:
        common.show_error(exc, lang)  # a CatalogInvalid lists every problem
    else:
        st.success(tr("added", lang).format(name=common.plain(name)))


def city_form(path: str, actor: Actor, lang: str) -> None:
    with st.expander(tr("add_city_title", lang), icon=":material/add_location:"), st.form("add_city"):
        st.caption(tr("add_help", lang))
        one, two = st.columns(2)
        fields: dict[str, object] = {"code": one.text_input(tr("f_code", lang), key="ac_code")}
        fields["name_zh"] = two.text_input(tr("f_name_zh", lang), key="ac_name_zh")
        fields["name_en"] = one.text_input(tr("f_name_en", lang), key="ac_name_en")
        fields["level"] = two.selectbox(tr("f_level", lang), LEVELS, key="ac_level")
        fields["province_zh"] = one.text_input(tr("f_province_zh", lang), key="ac_province_zh")
        fields["province_en"] = two.text_input(tr("f_province_en", lang), key="ac_province_en")
        fields["parent_zh"] = one.text_input(tr("f_parent_zh", lang), key="ac_parent_zh") or None
        fields["parent_en"] = two.text_input(tr("f_parent_en", lang), key="ac_parent_en") or None
        aliases = st.text_input(tr("f_aliases", lang), key="ac_aliases")
        if st.form_submit_button(tr("add_button", lang), type="primary"):
            fields |= {"aliases": _aliases(aliases), "source_file": f"added by {actor.name}"}
            _add(lambda: additions.add_city(path, actor, fields), str(fields["name_zh"]), lang)


def indicator_form(path: str, actor: Actor, lang: str) -> None:
    with st.expander(tr("add_indicator_title", lang), icon=":material/add_chart:"), st.form("add_indicator"):
        st.caption(tr("add_help", lang))
        one, two = st.columns(2)
        fields: dict[str, object] = {"code": one.text_input(tr("f_code", lang), key="ai_code")}
        fields["name_zh"] = two.text_input(tr("f_name_zh", lang), key="ai_name_zh")
        fields["name_en"] = one.text_input(tr("f_name_en", lang), key="ai_name_en")
        fields["unit"] = two.text_input(tr("f_unit", lang), key="ai_unit")
        fields["domain"] = one.selectbox(
            tr("f_domain", lang), DOMAINS, format_func=lambda d: domain_name(d, lang), key="ai_domain"
        )
        fields["polarity"] = two.selectbox(tr("f_polarity", lang), POLARITIES, key="ai_polarity")
        fields["aggregation"] = one.selectbox(
            tr("f_aggregation", lang),
            AGGREGATIONS,
            format_func=lambda a: aggregation_words(a, lang),
            key="ai_agg",
        )
        low, high = two.columns(2)
        fields["valid_min"] = low.number_input(tr("f_valid_min", lang), value=0.0, key="ai_min")
        fields["valid_max"] = high.number_input(tr("f_valid_max", lang), value=100.0, key="ai_max")
        aliases = st.text_input(tr("f_aliases", lang), key="ai_aliases")
        if st.form_submit_button(tr("add_button", lang), type="primary"):
            fields["aliases"] = _aliases(aliases)
            _add(lambda: additions.add_indicator(path, actor, fields), str(fields["name_zh"]), lang)
