"""What every page shares: the database (built on first start), cached reads, language, the demo banner.

Caching wrappers live here, beside the pages, so that indicators/ never imports streamlit. Cached reads are
keyed on the database file's modification time, so a new upload invalidates them.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import pandas as pd
import streamlit as st

from indicators import service, store, vocabulary
from indicators.accounts import auth
from indicators.errors import DabiaoError, StoreReadOnly, StoreUnavailable
from indicators.i18n import LANGS, tr
from indicators.paths import db_path
from indicators.reporting import scorecard as report
from indicators.status import service as status
from indicators.store import db
from indicators.vocabulary import role_name


@st.cache_resource(show_spinner="正在准备数据库 preparing the database…")
def _prepare(path: str) -> bool:
    service.ensure(path)
    return True


def both(key: str) -> str:
    """A message in Chinese and English, one per line (for notices shown before the language is known)."""
    return f"{tr(key, 'zh')}  \n{tr(key, 'en')}"


@contextmanager
def notices() -> Iterator[None]:
    """Around every page run (app.py): a busy, damaged or read-only store and any other refusal become the
    bilingual notice, and a bug the bilingual "something went wrong" with its traceback in the server log,
    never Streamlit's error box."""
    try:
        yield
    except db.StoreBusy:
        st.warning(both("busy"), icon=":material/hourglass:")
    except StoreReadOnly:
        st.warning(both("db_read_only"), icon=":material/lock:")
    except StoreUnavailable:
        logging.getLogger("dabiao").exception("the database cannot be opened")
        st.error(both("db_broken"), icon=":material/error:")
    except DabiaoError as exc:
        st.error(f"{exc.message_zh}  \n{exc.message_en}")
    except Exception:
        logging.getLogger("dabiao").exception("internal error on a page")
        st.error(both("internal_error"), icon=":material/error:")


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=^\"'])")


def plain(text: object) -> str:
    """Text people typed (a reason, a note, a name, a file name) made inert for st.markdown and captions:
    every Markdown character escaped, so no link, image, heading or colour is ever rendered from it."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def ensure_database() -> None:
    """The database, built on first start. If it cannot be opened (a damaged file, a full disk) the page
    says so in both languages and stops; the details go to the server's log, never to the browser."""
    try:
        _prepare(str(db_path()))
    except db.StoreBusy:
        raise
    except Exception:
        logging.getLogger("dabiao").exception("the database cannot be opened")
        st.error(both("db_broken"), icon=":material/error:")
        st.stop()


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
    banner. Returns the language. A store that is busy, damaged or unreadable stops the page with its
    bilingual notice (a page opened by its own address runs without app.py and its guard)."""
    page_config()
    failed = True
    with notices():
        lang = _header()
        failed = False
    if failed:
        st.stop()
    return lang


def _header() -> str:
    ensure_database()
    lang = str(st.session_state.get("lang", "zh"))
    account = signed_in()
    with st.sidebar:
        st.markdown("### 达标 Dabiao")
        for item in NAV:
            if item.file in ADMIN_ONLY and (account is None or account.role != "admin"):
                continue
            label = f"{item.zh} {item.en}" if lang == "zh" else f"{item.en} {item.zh}"
            st.page_link(f"pages/{item.file}", label=label, icon=item.icon)
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
def _evaluated(path: str, version: float, as_of: dt.date | None) -> pd.DataFrame:
    return status.status(path, None, as_of, explain=False)


@st.cache_data(show_spinner=False, max_entries=32)
def _measurements(path: str, version: float, city: str | None, indicator: str | None) -> pd.DataFrame:
    with db.connect(path, read_only=True) as con:
        return store.measurements_frame(con, city, indicator)


@st.cache_data(show_spinner=False, max_entries=8)
def _latest_months(path: str, version: float) -> pd.DataFrame:
    with db.connect(path, read_only=True) as con:
        return store.latest_months(con)


@st.cache_data(show_spinner=False, max_entries=8)
def _departments(path: str, version: float, as_of: dt.date | None) -> list[str]:
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

# The signed-in account's name. Set only here, after auth.login succeeded; no widget has this key, so the
# browser cannot set it. The account is re-read from the database on every run: a removed account or a
# changed role takes effect at once.
AUTH_KEY = "auth_user"


@st.cache_resource
def _limiter() -> auth.Limiter:
    """One per server process, shared by every session: failed sign-ins per account name."""
    return auth.Limiter()


def signed_in() -> auth.Account | None:
    name = st.session_state.get(AUTH_KEY)
    if not name:
        return None
    found = auth.account(str(db_path()), str(name))
    if found is None:
        st.session_state.pop(AUTH_KEY, None)
    return found


def login_form(lang: str, where: str) -> None:
    """Account and password; on success the session is signed in and the page runs again."""
    with st.form(f"login_{where}", clear_on_submit=True, border=where != "sidebar"):
        name = st.text_input(tr("login_name", lang), key=f"login_name_{where}")
        password = st.text_input(tr("login_password", lang), type="password", key=f"login_pw_{where}")
        if st.form_submit_button(tr("login_button", lang), icon=":material/login:"):
            try:
                account = auth.login(str(db_path()), name, password, _limiter())
            except auth.LoginFailed as exc:
                st.error(exc.message_zh if lang == "zh" else exc.message_en)
            else:
                st.session_state[AUTH_KEY] = account.name
                st.rerun()


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
        st.caption(
            f"{tr('signed_in', lang)}: **{plain(account.name)}** · {role_name(account.role, lang)}{mine}"
        )
        if st.button(tr("logout", lang), key="logout", icon=":material/logout:"):
            st.session_state.pop(AUTH_KEY, None)
            st.rerun()


@st.cache_data(show_spinner=False)
def _target_edits(path: str, version: float) -> pd.DataFrame:
    from indicators.accounts import target_edits

    return target_edits.edits(path)


def target_edit_list() -> pd.DataFrame:
    """Every administrator's edit of a target (store.target_edits_frame); cached per database write."""
    return _target_edits(str(db_path()), _version())
