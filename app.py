"""Dabiao 达标: page configuration, language switch and navigation. No logic lives here."""

import streamlit as st

from indicators.i18n import tr
from pages import common

st.set_page_config(page_title="达标 Dabiao", page_icon="🎯", layout="wide")
common.ensure_database()
lang = common.language_picker()
common.demo_banner(lang)

nav = st.navigation([
    st.Page("pages/targets.py", title=tr("page_targets", lang), icon="🎯", url_path="targets", default=True),
])
nav.run()
