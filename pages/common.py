"""What every page shares: the database (built on first start), cached reads, language, the demo banner.

Caching wrappers live here, beside the pages, so that indicators/ never imports streamlit. Cached reads are
keyed on the database file's modification time, so a new upload invalidates them.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from indicators import db, service, store
from indicators.i18n import LANGS, tr
from indicators.paths import db_path


@st.cache_resource(show_spinner="正在准备数据库 preparing the database…")
def _prepare(path: str) -> bool:
    service.ensure(path)
    return True


def ensure_database() -> None:
    _prepare(str(db_path()))


def _version() -> float:
    """Changes whenever the database file is written; part of every cache key."""
    try:
        return os.path.getmtime(db_path())
    except OSError:
        return 0.0


@st.cache_data(show_spinner=False)
def _targets(path: str, version: float, city: str | None) -> pd.DataFrame:
    with db.connect(path, read_only=True) as con:
        return store.targets_frame(con, city)


@st.cache_data(show_spinner=False)
def _cities(path: str, version: float) -> pd.DataFrame:
    with db.connect(path, read_only=True) as con:
        return store.cities_frame(con)


@st.cache_data(show_spinner=False)
def _demo_share(path: str, version: float) -> float:
    with db.connect(path, read_only=True) as con:
        return store.demo_share(con)


def targets(city: str | None = None) -> pd.DataFrame:
    return _targets(str(db_path()), _version(), city)


def cities() -> pd.DataFrame:
    return _cities(str(db_path()), _version())


def language_picker() -> str:
    if "lang" not in st.session_state:
        st.session_state.lang = "zh"
    st.sidebar.radio(
        tr("language"),
        LANGS,
        key="lang",
        horizontal=True,
        format_func=lambda code: "中文" if code == "zh" else "English",
    )
    return str(st.session_state.lang)


def page_header() -> str:
    """The language switch and the demo banner every page starts with; returns the language."""
    lang = language_picker()
    demo_banner(lang)
    return lang


def demo_banner(lang: str) -> None:
    if _demo_share(str(db_path()), _version()) > 0:
        st.info(tr("demo_banner", lang), icon="ℹ️")


def city_label(row: pd.Series, lang: str) -> str:
    return f"{row.name_zh} {row.name_en}" if lang == "zh" else f"{row.name_en} {row.name_zh}"
