"""Dabiao 达标: page configuration and navigation. No logic lives here.

The menu (pages/nav.NAV) is drawn by each page itself (pages/nav.page_header), so that a page opened by
its own address on a fresh server — which Streamlit then runs without this file — looks and works the same.
"""

import streamlit as st

from pages import cache, common, nav

nav.page_config()
with common.notices():  # a busy, damaged or read-only store, or a bug: a bilingual notice, never an error box
    cache.ensure_database()
    pages = [
        st.Page(f"pages/{n.file}", title=n.title, icon=n.icon, url_path=n.file[:-3], default=i == 0)
        for i, n in enumerate(nav.NAV)
    ]
    st.navigation(pages, position="hidden").run()
