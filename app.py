"""Dabiao 达标: page configuration and navigation; the server's routes and lifespan. No logic lives here.

`streamlit run app.py` (scripts/serve.py) finds `app` below and serves it: Streamlit's pages plus the
routes and lifespan of web/server.py. Streamlit then runs this same file as the script of every page run,
under the name __main__. The menu (pages/nav.NAV) is drawn by each page itself (pages/nav.page_header), so
that a page opened by its own address looks and works the same.
"""

import streamlit as st

if __name__ == "__main__":
    from pages import cache, common, nav

    nav.page_config()
    with (
        common.notices()
    ):  # a busy, damaged or read-only store, or a bug: a bilingual notice, never an error box
        cache.ensure_database()
        pages = [
            st.Page(f"pages/{n.file}", title=n.title, icon=n.icon, url_path=n.file[:-3], default=i == 0)
            for i, n in enumerate(nav.NAV)
        ]
        st.navigation(pages, position="hidden").run()
else:
    from web import server

    app = st.App("app.py", lifespan=server.lifespan, routes=server.ROUTES)
