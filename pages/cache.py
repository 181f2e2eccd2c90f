"""The one read service of the pages: every cached read of the store, keyed on its version (a DuckDB file's
modification time, PostgreSQL's newest audit row) so that a write (an upload, an undo, an edit) invalidates
them.

Caching lives here, beside the pages, so that indicators/ never imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import NamedTuple

import pandas as pd
import streamlit as st

from indicators import service, store
from indicators.ingest import service as uploads
from indicators.meeting import notes
from indicators.paths import db_path
from indicators.reporting import export
from indicators.reporting import freshness as fresh
from indicators.reporting import overview as overview_model
from indicators.reporting import scorecard as report
from indicators.status import service as status
from indicators.status import snapshot
from indicators.store import db
from pages import common


@st.cache_resource(show_spinner="正在准备数据库 preparing the database…")
def _prepare(path: str) -> bool:
    service.ensure(path)
    return True


def path() -> str:
    return str(db_path())


def ensure_database() -> None:
    """The database, built on first start. If it cannot be opened (a damaged file, a full disk) the page
    says so in both languages and stops; the details go to the server's log, never to the browser."""
    try:
        _prepare(path())
    except db.StoreBusy:
        raise
    except Exception:
        logging.getLogger("dabiao").exception("the database cannot be opened")
        st.error(common.both("db_broken"), icon=":material/error:")
        st.stop()


def warm() -> None:
    """At server start (web/server.py's lifespan, same process as the pages): the reads the first page run
    makes, so that the first visitor finds them cached as every later one does."""
    _prepare(path())
    evaluated(None)
    departments(None)
    cities()
    demo_share()
    freshness()


def after_write() -> None:
    """Call after a page wrote data an evaluation depends on: the new evaluation is computed at once in
    the background (the server's keep_warm would notice the write within seconds anyway)."""
    snapshot.after_write(db_path())


def _version() -> str:
    """Changes whenever the data is written (not when a session is); part of every cache key."""
    try:
        return snapshot.version(db_path())
    except Exception:  # a file that cannot be read: ensure_database has said so
        return "unreadable"


@st.cache_data(show_spinner=False)
def _targets(p: str, version: str, city: str | None) -> pd.DataFrame:
    with db.connect(p, read_only=True) as con:
        return store.targets_frame(con, city)


@st.cache_data(show_spinner=False)
def _cities(p: str, version: str) -> pd.DataFrame:
    with db.connect(p, read_only=True) as con:
        return store.cities_frame(con)


@st.cache_data(show_spinner=False)
def _demo_share(p: str, version: str) -> float:
    with db.connect(p, read_only=True) as con:
        return store.demo_share(con)


def targets(city: str | None = None) -> pd.DataFrame:
    return _targets(path(), _version(), city)


def cities() -> pd.DataFrame:
    return _cities(path(), _version())


def demo_share() -> float:
    return _demo_share(path(), _version())


# A resource, not data: one frame shared by every session, never copied. At national scale (150,000
# targets) st.cache_data's pickling cost 1.4 s on every page run. Pages only read it (filters, .assign).
# Without the sentences: a page builds them for the rows it shows (report.scorecard, add_explanations).
@st.cache_resource(show_spinner="正在评价目标 evaluating targets…", max_entries=8)
def _evaluated(p: str, version: str, as_of: dt.date | None) -> pd.DataFrame:
    if as_of is None:  # computed at server start and after each write, shared by processes (snapshot.py)
        return snapshot.evaluation(p)
    return status.status(p, None, as_of, explain=False)


@st.cache_data(show_spinner=False, max_entries=32)
def _measurements(p: str, version: str, city: str | None, indicator: str | None) -> pd.DataFrame:
    with db.connect(p, read_only=True) as con:
        return store.measurements_frame(con, city, indicator)


@st.cache_data(show_spinner=False, max_entries=8)
def _freshness(p: str, version: str) -> pd.DataFrame:
    with db.connect(p, read_only=True) as con:
        reported = store.reported_by_indicator(con)
    return fresh.freshness(reported, cities())


@st.cache_data(show_spinner=False, max_entries=8)
def _departments(p: str, version: str, as_of: dt.date | None) -> list[str]:
    return report.departments(_evaluated(p, version, as_of))


def departments(as_of: dt.date | None) -> list[str]:
    """Every responsible unit of the evaluated targets (lead or cooperating), sorted; cached."""
    return _departments(path(), _version(), as_of)


def evaluated(as_of: dt.date | None) -> pd.DataFrame:
    """Every target evaluated as of a date (None: each city's latest month); cached per database write.
    Shared between sessions: read it, never change it in place. It has no explanation columns: build them
    for the rows shown (explain.add_explanations; report.scorecard does)."""
    return _evaluated(path(), _version(), as_of)


def measurements(city: str | None = None, indicator: str | None = None) -> pd.DataFrame:
    """The current monthly values (of one city, of one indicator); the whole country is never read."""
    return _measurements(path(), _version(), city, indicator)


def freshness() -> pd.DataFrame:
    """Per city: of its indicators with a target, how many were reported for the latest month anywhere."""
    return _freshness(path(), _version())


@st.cache_data(show_spinner=False, max_entries=32)
def _upload_template(p: str, city: str, fmt: str, today: dt.date) -> tuple[str, bytes]:
    return uploads.template(p, city, fmt, today)


def upload_template(city: str, fmt: str) -> tuple[str, bytes]:
    """(file name, content) of a city's upload template, "csv" or "xlsx"; cached for the day."""
    return _upload_template(path(), city, fmt, dt.date.today())


@st.cache_data(show_spinner=False)
def _target_edits(p: str, version: str) -> pd.DataFrame:
    from indicators.accounts import target_edits

    return target_edits.edits(p)


def target_edit_list() -> pd.DataFrame:
    """Every administrator's edit of a target (store.target_edits_frame); cached per database write."""
    return _target_edits(path(), _version())


@st.cache_data(show_spinner=False, max_entries=32)
def _batch_values(p: str, version: str, batch_id: int) -> pd.DataFrame:
    with db.connect(p, read_only=True) as con:
        return store.batch_values(con, batch_id)


def batch_values(batch_id: int) -> pd.DataFrame:
    """Every value one batch wrote, beside the value it replaced."""
    return _batch_values(path(), _version(), batch_id)


def value_history(city: str, indicator: str) -> pd.DataFrame:
    """Every revision of one city's indicator (uploads.history), not cached: it is read on demand."""
    return uploads.history(path(), city, indicator)[2]


def batches(city: str) -> pd.DataFrame:
    return uploads.batches(path(), city)


class Filters(NamedTuple):
    """What the scorecard screen is filtered by (hashable: part of the export's cache key)."""

    cities: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    department: str | None = None
    statuses: tuple[str, ...] = ()

    def screen(self, evaluated: pd.DataFrame) -> report.Screen:
        """The filtered rows' positions worst first, their counts and months: `apply` without the copy."""
        return report.screen(
            evaluated, list(self.cities), list(self.domains), self.department, list(self.statuses)
        )

    def apply(self, evaluated: pd.DataFrame) -> pd.DataFrame:
        """The rows filtered, worst first (the scorecard's order on screen and in its exports)."""
        return report.worst_first(
            report.filter_evaluated(
                evaluated, list(self.cities), list(self.domains), self.department, list(self.statuses)
            )
        )


@st.cache_data(show_spinner=False, max_entries=16)
def _export(
    p: str,
    version: str,
    as_of: dt.date | None,
    filters: Filters,
    fmt: str,
    title: str,
    section: str,
    lang: str,
) -> bytes:
    shown = filters.apply(notes.attach(_evaluated(p, version, as_of), notes.latest(p)))
    return export.export_bytes(shown, fmt, None, title, as_of, lang, section)


def export_file(
    as_of: dt.date | None, filters: Filters, fmt: str, title: str, section: str, lang: str
) -> bytes:
    """The screen's scorecard as PDF or XLSX bytes, built before the button offers them (a file built
    while the browser already asks for it was, once, not there), cached per filter and database write."""
    return _export(path(), _version(), as_of, filters, fmt, title, section, lang)


@st.cache_data(show_spinner=False)
def _plans(p: str, version: str) -> pd.DataFrame:
    with db.connect(p, read_only=True) as con:
        return store.plans_frame(con)


def plan_titles(lang: str) -> dict[str, str]:
    """A plan's title in the language (Chinese title first in Chinese), by its Chinese title."""
    plans = _plans(path(), _version())
    return {
        str(r.title_zh): str(r.title_zh if lang == "zh" else f"{r.title_en} ({r.title_zh})")
        for r in plans.itertuples()
    }


# The pages' built tables at national scale (3,000 cities): small results of a second's work each, cached
# per data version and filled at server start and after each write (warm_pages, refresh), so that a page
# run only draws them.


@st.cache_data(show_spinner=False, max_entries=8)
def _overview(p: str, version: str, as_of: dt.date | None) -> overview_model.Overview:
    order = [str(c) for c in _cities(p, version)["code"]]
    return overview_model.overview(_evaluated(p, version, as_of), order, overview_model.LIMIT)


def overview(as_of: dt.date | None) -> overview_model.Overview:
    """The overview's cities, cards, worst items and grid (reporting/overview.py); cached per write."""
    return _overview(path(), _version(), as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def _freshness_summary(p: str, version: str) -> fresh.Summary:
    return fresh.summary(_freshness(p, version), overview_model.LIMIT)


def freshness_summary() -> fresh.Summary:
    """The overview's freshness section: the counts and the few cities it lists; cached per write."""
    return _freshness_summary(path(), _version())


@st.cache_data(show_spinner=False, max_entries=32)
def _screen(p: str, version: str, as_of: dt.date | None, filters: Filters) -> report.Screen:
    return filters.screen(_evaluated(p, version, as_of))


def screen(as_of: dt.date | None, filters: Filters) -> report.Screen:
    """The scorecard screen of the current evaluation as filtered (positions worst first, counts, months):
    its rows are taken from `evaluated(as_of)` a page at a time. Cached per filter and write."""
    return _screen(path(), _version(), as_of, filters)


# The city page (issue 17): its charts and status strips, built once per database write and shared by every
# session. Resources, not data: a Plotly figure pickled by st.cache_data is validated again on every read
# (as long as building it); st.plotly_chart copies the figure it is given (to_dict), so a shared one is never
# changed. Keyed on the version and the as-of date, which fix every row of the evaluation a chart is drawn
# from (the row itself is passed unhashed).
@st.cache_resource(show_spinner=False, max_entries=512)
def _target_chart(
    p: str, version: str, as_of: dt.date | None, lang: str, target_id: str, _row: pd.Series
) -> tuple[pd.DataFrame, object | None]:
    from indicators.reporting import charts

    row = _row
    meas = _measurements(p, version, str(row.city), None)
    history = status.evaluation_series(meas, row.city, row.indicator, row.aggregation, row.as_of, row.t_base)
    return history, None if history.empty else charts.target_chart(row, history, lang)


def target_chart(row: pd.Series, as_of: dt.date | None, lang: str) -> tuple[pd.DataFrame, object | None]:
    """One evaluated target's monthly values with their evaluation values (status.evaluation_series) and its
    chart (charts.target_chart; None without values), as of the page's date; cached per database write.
    Shared between sessions: read them, never change them in place."""
    return _target_chart(path(), _version(), as_of, lang, str(row.target_id), row)


@st.cache_resource(show_spinner=False, max_entries=64)
def _strips(p: str, version: str, city: str, months: int, lang: str) -> dict[str, str]:
    from pages import meeting

    return meeting.strip_html(meeting._history(p, version, city, months), lang)


def status_strips(city: str, lang: str, months: int = 24) -> dict[str, str]:
    """Per target of the city, the HTML of its status strip over its status history (pages/meeting.py);
    cached per database write."""
    return _strips(path(), _version(), city, months, lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _city_labels(p: str, version: str, lang: str) -> dict[str, str]:
    return {str(r.code): common.city_label(r, lang) for r in _cities(p, version).itertuples()}


def city_labels(lang: str) -> dict[str, str]:
    """Every city's label ("灵武市 Lingwu"; in English "Lingwu 灵武市") by code, in the catalog's order."""
    return _city_labels(path(), _version(), lang)


def warm_pages() -> None:
    """After `warm`, at server start and after each write: the overview's and the scorecard's built tables
    as the first visit reads them, the meeting reads every dashboard page makes, the number formats, and
    the modules a first page run would import (Plotly, Streamlit's emoji table)."""
    import streamlit.emojis  # noqa: F401  (the first alert with an icon imports it: a second)

    from indicators.reporting import numbers
    from pages import meeting

    numbers.decimals("")  # reads the catalog once per process
    overview(None)
    freshness_summary()
    screen(None, Filters())
    for lang in ("zh", "en"):
        city_labels(lang)
    meeting.warm()


_REFRESHED: dict[str, str] = {}  # path -> the data version the pages' caches were last filled for


def refresh() -> None:
    """What the server's watcher (snapshot.keep_warm) calls when the data changed: the entries of older
    versions are dropped (no page reads them again; the evaluation alone is 160 MB at national scale) and
    the current version's reads and tables are filled before a visitor asks."""
    p, version = path(), _version()
    if _REFRESHED.get(p) == version:
        return
    if p in _REFRESHED:
        _evaluated.clear()
    warm()
    warm_pages()
    _REFRESHED[p] = version


@st.cache_resource(show_spinner=False, max_entries=64)
def _stacked(p: str, version: str, city: str, months: int, lang: str) -> object:
    from pages import meeting

    return meeting.stacked_chart(meeting._history(p, version, city, months), lang)


def city_stacked_chart(city: str, lang: str, months: int = 24) -> object:
    """The city's statuses per month end, stacked (pages/meeting.py stacked_chart over its status history);
    cached per database write. Shared: never change it in place."""
    return _stacked(path(), _version(), city, months, lang)
