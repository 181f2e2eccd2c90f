"""Dabiao 达标: page configuration and navigation. No logic lives here.

Menu titles are bilingual ("目标 Targets"); each page draws the language switch and the demo banner itself
(pages/common.page_header) so that every page works on its own.
"""

import streamlit as st

from pages import common

st.set_page_config(page_title="达标 Dabiao", page_icon="🎯", layout="wide")
common.ensure_database()

nav = st.navigation(
    [
        st.Page("pages/targets.py", title="目标 Targets", icon="🎯", url_path="targets", default=True),
    ]
)
nav.run()
