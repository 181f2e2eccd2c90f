"""What every page shares: the database (built on first start), cached reads, language, the demo banner.

Caching wrappers live here, beside the pages, so that indicators/ never imports streamlit. Cached reads are
keyed on the database file's modification time, so a new upload invalidates them.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from typing import NamedTuple

import pandas as pd
import streamlit as st

from indicators import service, store, vocabulary
from indicators.accounts import auth
from indicators.i18n import LANGS, tr
from indicators.paths import db_path
from indicators.reporting import scorecard as report
from indicators.status import service as status
from indicators.status import snapshot
from indicators.store import db
from indicators.vocabulary import role_name
from pages import session, state


@st.cache_resource(show_spinner="正在准备数据库 preparing the database…")
def _prepare(path: str) -> bool:
    service.ensure(path)
    return True


def ensure_database() -> None:
    """The database, built on first start. If it cannot be opened (a damaged file, a full disk) the page
    says so in both languages and stops; the details go to the server's log, never to the browser."""
    try:
        _prepare(str(db_path()))
    except db.StoreBusy:
        raise
    except Exception:
        logging.getLogger("dabiao").exception("the database cannot be opened")
        st.error(f"{tr('db_broken', 'zh')}  \n{tr('db_broken', 'en')}", icon=":material/error:")
        st.stop()


def _version() -> str:
    """Changes whenever the data is written (not when a session is); part of every cache key."""
    try:
        return snapshot.version(db_path())
    except Exception:  # a file that cannot be read: ensure_database has said so
        return "unreadable"


@st.cache_data(show_spinner=False)
def _targets(path: str, version: str, city: str | None) -> pd.DataFrame:
    with db.connect(path, read_only=True) as con:
        return store.targets_frame(con, city)


@st.cache_data(show_spinner=False)
def _cities(path: str, version: str) -> pd.DataFrame:
    with db.connect(path, read_only=True) as con:
        return store.cities_frame(con)


@st.cache_data(show_spinner=False)
def _demo_share(path: str, version: str) -> float:
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
]
ADMIN_ONLY = {"admin.py"}  # listed in the menu for administrators; the page itself checks too


def page_config() -> None:
    st.set_page_config(page_title="达标 Dabiao", page_icon=":material/flag:", layout="wide")


def page_header() -> str:
    """What every page starts with: page config, the database, the menu, the language switch and the demo
    banner. Returns the language."""
    page_config()
    ensure_database()
    state.sync()  # the view in the address: restored from it, written into it (pages/state.py)
    lang = str(st.session_state.get("lang", "zh"))
    account = signed_in()
    with st.sidebar:
        st.markdown("### 达标 Dabiao")
        for item in NAV:
            if item.file in ADMIN_ONLY and (account is None or account.role != "admin"):
                continue
            label = f"{item.zh} {item.en}" if lang == "zh" else f"{item.en} {item.zh}"
            st.page_link(f"pages/{item.file}", label=label, icon=item.icon, query_params=state.view())
        st.divider()
    lang = language_picker()
    account_box(account, lang)
    demo_banner(lang)
    return lang


def demo_banner(lang: str) -> None:
    if _demo_share(str(db_path()), _version()) > 0:
        st.info(tr("demo_banner", lang), icon="ℹ️")


def city_label(row: pd.Series, lang: str) -> str:
    return f"{row.name_zh} {row.name_en}" if lang == "zh" else f"{row.name_en} {row.name_zh}"


# --- status of every target (issue: dashboard) -------------------------------------------------------------


# A resource, not data: one frame shared by every session, never copied. At national scale (150,000
# targets) st.cache_data's pickling cost 1.4 s on every page run. Pages only read it (filters, .assign).
# Without the sentences: a page builds them for the rows it shows (report.scorecard, add_explanations).
@st.cache_resource(show_spinner="正在评价目标 evaluating targets…", max_entries=8)
def _evaluated(path: str, version: str, as_of: dt.date | None) -> pd.DataFrame:
    if as_of is None:  # computed at server start and after each write, shared by processes (snapshot.py)
        return snapshot.evaluation(path)
    return status.status(path, None, as_of, explain=False)


@st.cache_data(show_spinner=False, max_entries=32)
def _measurements(path: str, version: str, city: str | None, indicator: str | None) -> pd.DataFrame:
    with db.connect(path, read_only=True) as con:
        return store.measurements_frame(con, city, indicator)


@st.cache_data(show_spinner=False, max_entries=8)
def _latest_months(path: str, version: str) -> pd.DataFrame:
    with db.connect(path, read_only=True) as con:
        return store.latest_months(con)


@st.cache_data(show_spinner=False, max_entries=8)
def _departments(path: str, version: str, as_of: dt.date | None) -> list[str]:
    return report.departments(_evaluated(path, version, as_of))


def departments(as_of: dt.date | None) -> list[str]:
    """Every responsible unit of the evaluated targets (lead or cooperating), sorted; cached."""
    return _departments(str(db_path()), _version(), as_of)


def evaluated(as_of: dt.date | None) -> pd.DataFrame:
    """Every target evaluated as of a date (None: each city's latest month); cached per database write.
    Shared between sessions: read it, never change it in place. It has no explanation columns: build them
    for the rows shown (explain.add_explanations; report.scorecard does)."""
    return _evaluated(str(db_path()), _version(), as_of)


def measurements(city: str | None = None, indicator: str | None = None) -> pd.DataFrame:
    """The current monthly values (of one city, of one indicator); the whole country is never read."""
    return _measurements(str(db_path()), _version(), city, indicator)


def as_of_picker(lang: str) -> dt.date | None:
    """The sidebar date every dashboard page evaluates at; empty means each city's latest month."""
    return st.sidebar.date_input(
        tr("as_of", lang),
        value=None,
        key="as_of",
        help=tr("as_of_help", lang),
        format="YYYY-MM-DD",
        min_value=dt.date(2010, 1, 1),
    )


def status_badge(code: str, lang: str) -> str:
    """An inline HTML badge: colour, symbol and word (never colour alone)."""
    colour, text = vocabulary.STATUS[code].colour, vocabulary.STATUS[code].text_colour
    label = html.escape(vocabulary.status_label(code, lang))
    return (
        f"<span style='background:#{colour};color:#{text};padding:.1rem .45rem;border-radius:.3rem;"
        f"font-weight:600;white-space:nowrap'>{label}</span>"
    )


def name(row: pd.Series, field: str, lang: str) -> str:
    """row[field + '_zh'] or row[field + '_en'] by language."""
    return str(row[f"{field}_zh" if lang == "zh" else f"{field}_en"])


def freshness() -> pd.DataFrame:
    """Per city: its latest reported month and how many months it is behind the latest month anywhere."""
    latest = _latest_months(str(db_path()), _version()).rename(columns={"period": "latest"})
    latest["latest"] = pd.to_datetime(latest["latest"])
    newest = latest["latest"].max()
    latest["months_behind"] = (
        (newest.year - latest["latest"].dt.year) * 12 + newest.month - latest["latest"].dt.month
    )
    names = cities()[["code", "name_zh", "name_en"]].rename(
        columns={"code": "city", "name_zh": "city_zh", "name_en": "city_en"}
    )
    return latest.merge(names, on="city").sort_values("months_behind", ascending=False)


# --- uploads (issue 3) -------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _upload_template(path: str, city: str, fmt: str, today: dt.date) -> tuple[str, bytes]:
    from indicators.ingest import service as uploads

    return uploads.template(path, city, fmt, today)


def upload_template(city: str, fmt: str) -> tuple[str, bytes]:
    """(file name, content) of a city's upload template, "csv" or "xlsx"; cached for the day."""
    return _upload_template(str(db_path()), city, fmt, dt.date.today())


# --- accounts (issue 6) ------------------------------------------------------------------------------------


def signed_in() -> auth.Account | None:
    """The account of this browser's session cookie as it is now (pages/session.py), or None."""
    return session.account()


def login_form(lang: str, where: str) -> None:
    """Account and password, posted to the server's sign-in route, which sets the session cookie."""
    session.sign_in_form(lang, where)


def account_box(account: auth.Account | None, lang: str) -> None:
    """The sidebar's sign-in (collapsed) or the signed-in account with a sign-out button."""
    with st.sidebar:
        st.divider()
        if account is None:
            with st.expander(tr("login", lang), icon=":material/person:"):
                login_form(lang, "sidebar")
            return
        names = cities().set_index("code")["name_zh" if lang == "zh" else "name_en"]
        mine = f" · {'、'.join(str(names.get(c, c)) for c in account.cities)}" if account.cities else ""
        st.caption(f"{tr('signed_in', lang)}: **{account.name}** · {role_name(account.role, lang)}{mine}")
        session.sign_out_form(lang)


@st.cache_data(show_spinner=False)
def _target_edits(path: str, version: str) -> pd.DataFrame:
    from indicators.accounts import target_edits

    return target_edits.edits(path)


def target_edit_list() -> pd.DataFrame:
    """Every administrator's edit of a target (store.target_edits_frame); cached per database write."""
    return _target_edits(str(db_path()), _version())
