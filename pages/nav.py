"""Navigation: the menu every page draws itself, the language switch, the demo banner, page configuration.

The menu is drawn by each page (page_header), so that a page opened by its own address on a fresh server —
which Streamlit then runs without app.py — looks and works the same.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from indicators.i18n import LANGS, tr
from pages import cache, common, signin, state
from pages.common import PAGE_CSS


class NavItem(NamedTuple):
    file: str
    zh: str
    en: str
    icon: str

    @property
    def title(self) -> str:
        return f"{self.zh} {self.en}"


NAV = [
    NavItem("overview.py", "总览", "Overview", ":material/dashboard:"),
    NavItem("city.py", "城市", "City", ":material/location_city:"),
    NavItem("indicator.py", "指标", "Indicator", ":material/monitoring:"),
    NavItem("department.py", "责任单位", "Department", ":material/account_balance:"),
    NavItem("scorecard.py", "红绿灯", "Scorecard", ":material/traffic:"),
    NavItem("targets.py", "目标", "Targets", ":material/flag:"),
    NavItem("upload.py", "数据上报", "Upload", ":material/upload_file:"),
    NavItem("admin.py", "管理", "Admin", ":material/admin_panel_settings:"),
    NavItem("plan_import.py", "目标导入", "Plan import", ":material/document_scanner:"),
]
# listed in the menu for administrators; the page itself checks too
ADMIN_ONLY = {"admin.py", "plan_import.py"}
# the address a browser asked for that names no page (set by scripts/serve.py instead of Streamlit's English
# "Page not found" dialog); the page then runs the default page, which opens the page meant or says so
PAGE_NOT_FOUND = "dabiao_page_not_found"


def page_config() -> None:
    st.set_page_config(page_title="达标 Dabiao", page_icon=":material/flag:", layout="wide")


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
    """What every page starts with: page config, the database, the menu, the language switch and the demo
    banner. Returns the language. A store that is busy, damaged or unreadable stops the page with its
    bilingual notice (a page opened by its own address runs without app.py and its guard)."""
    failed = True
    with common.notices():
        lang = _header()
        failed = False
    if failed:
        st.stop()
    return lang


def _header() -> str:
    page_config()
    cache.ensure_database()
    state.sync()  # the view in the address: restored from it, written into it (pages/state.py)
    lang = str(st.session_state.get("lang", "zh"))
    account = signin.signed_in()
    with st.sidebar:
        st.markdown("### 达标 Dabiao")
        for item in NAV:
            if item.file in ADMIN_ONLY and (account is None or account.role != "admin"):
                continue
            label = f"{item.zh} {item.en}" if lang == "zh" else f"{item.en} {item.zh}"
            st.page_link(f"pages/{item.file}", label=label, icon=item.icon, query_params=state.view())
        st.divider()
    lang = language_picker()
    signin.account_box(account, lang)
    st.html(PAGE_CSS)
    unknown_address(lang)
    demo_banner(lang)
    return lang


def page_meant(name: str) -> NavItem | None:
    """The page an address means, spelled as people and old links spell it: `scorecard.py`, `Scorecard/`,
    `pages/scorecard.py`, `红绿灯` (None: no page)."""
    key = name.strip().strip("/").lower().removeprefix("pages/").removesuffix(".py")
    for item in NAV:
        if key in (item.file[:-3], item.zh, item.en.lower()):
            return item
    return None


def unknown_address(lang: str) -> None:
    """After an address that names no page: open the page it means, or say that it names none (in both
    languages: whoever followed the link may read either), and show the overview."""
    if PAGE_NOT_FOUND not in st.session_state:
        return
    name = str(st.session_state.pop(PAGE_NOT_FOUND) or "")
    meant = page_meant(name)
    if meant is not None and meant is not NAV[0]:
        st.switch_page(f"pages/{meant.file}")
    if meant is None:
        text = f"{tr('page_not_found', 'zh')} {tr('page_not_found', 'en')}".format(name=name or "?")
        st.warning(common.plain(text), icon=":material/link_off:")


def demo_banner(lang: str) -> None:
    if cache.demo_share() > 0:
        st.info(tr("demo_banner", lang), icon=":material/info:")
