"""The view in the page address: language, as-of date, city, indicator, department, domain and status
filter are query parameters (`?lang=en&as_of=2024-06-30&city=lingwu`), so that the menu keeps them from page
to page, the back button restores them and a copied link opens the same view.

Every page's header calls `sync()` before any widget is drawn. It copies the address into the widgets'
session keys when the address is not the one this session last wrote (a link opened, the back button, a menu
entry): then the address leads. Otherwise the widgets lead: a widget's new value is in its session key when
the run it triggered starts, and `sync` writes it into the address. A value the data does not know (an old
link, a typed address) is ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from indicators import vocabulary
from indicators.i18n import LANGS

PARAMS = ("lang", "as_of", "city", "indicator", "department", "domain", "status")
_VIEW, _WROTE, _PAGE = "_view", "_view_written", "_view_page"
MIN_DATE = dt.date(2010, 1, 1)


def bindings(page: str, lang: str) -> list[tuple[str, str, bool]]:
    """(query parameter, widget key, holds a list) of a page (its url path: "city", "scorecard", ...)."""
    shared = [("lang", "lang", False), ("as_of", "as_of", False)]
    own = {
        "city": [("city", f"city_page_city_{lang}", False)],
        "indicator": [("indicator", f"indicator_code_{lang}", False)],
        "department": [("department", f"department_name_{lang}", False)],
        "scorecard": [
            ("city", "sc_city", True),
            ("domain", "sc_domain", True),
            ("department", f"sc_dept_{lang}", False),
            ("status", "sc_status", True),
        ],
        "targets": [("city", f"targets_city_{lang}", False), ("domain", "targets_domains", True)],
    }
    return shared + own.get(page, [])


def _known() -> dict[str, Callable[[str], bool]]:
    from pages import cache as common  # the cached reads; imported late (cache imports this module's users)

    def cities() -> set[str]:
        return set(common.cities()["code"])

    def evaluated(column: str) -> set[str]:
        ev = common.evaluated(None)
        if column == "department":
            return set(common.departments(None))
        return set(ev[column].unique())

    return {
        "city": lambda v: v in cities(),
        "indicator": lambda v: v in evaluated("indicator"),
        "department": lambda v: v in evaluated("department"),
        "domain": lambda v: v in vocabulary.DOMAINS,
        "status": lambda v: v in vocabulary.STATUSES,
    }


def _parse(param: str, raw: str, many: bool) -> object | None:
    if param == "lang":
        return raw if raw in LANGS else None
    if param == "as_of":
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            return None
        return day if day >= MIN_DATE else None
    values = [v for v in raw.split(",") if v]
    check = _known()[param]
    good = [v for v in values if check(v)]
    if many:
        return good or None
    return good[0] if good else None


def _text(value: object) -> str | None:
    if value is None or value == [] or value == "__all__":
        return None
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def restore(page: str) -> None:
    """Before the page runs: the address into the widgets, unless it is what this session last wrote."""
    ss = st.session_state
    address = st.query_params.to_dict()
    ss[_PAGE] = page
    if ss.get(_WROTE) == (page, address):
        return
    lang = address.get("lang") if address.get("lang") in LANGS else str(ss.get("lang", "zh"))
    view: dict[str, str] = {}
    for param, key, many in bindings(page, lang):
        raw = address.get(param)
        value = _parse(param, raw, many) if raw else None
        if value is not None:
            ss[key] = value
    for param in PARAMS:  # the other pages' parameters travel on with the menu
        raw = address.get(param)
        if raw and _parse(param, raw, True if param in ("city", "domain", "status") else False) is not None:
            view[param] = raw
    ss[_VIEW] = view


def view() -> dict[str, str]:
    """The view as it stands in this run (the menu's links carry it)."""
    ss = st.session_state
    page = str(ss.get(_PAGE, ""))
    current = dict(ss.get(_VIEW, {}))
    for param, key, _ in bindings(page, str(ss.get("lang", "zh"))):
        if key in ss:
            text = _text(ss[key])
            if text is None:
                current.pop(param, None)
            else:
                current[param] = text
    return {p: current[p] for p in PARAMS if p in current}


def current_page() -> str:
    """The running page's url path ("city", "scorecard"; "" for the default page)."""
    url = st.context.url if isinstance(st.context.url, str) else ""
    return url.rstrip("/").rsplit("/", 1)[-1] if url.count("/") > 2 else ""


def sync() -> None:
    """At the top of a page run: restore the view from the address, then write the widgets' into it."""
    page = current_page()
    restore(page)
    publish(page)


def publish(page: str) -> None:
    """The widgets' values into the address."""
    current = view()
    st.session_state[_VIEW] = current
    if st.query_params.to_dict() != current:
        st.query_params.from_dict(current)
    st.session_state[_WROTE] = (page, current)
