"""What pages show alike: names by language, status badges, the as-of picker, errors, the page CSS.

Cached reads are in pages/cache.py, sign-in in pages/signin.py, the menu in pages/nav.py.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from indicators import vocabulary
from indicators.errors import DabiaoError, StoreBusy, StoreReadOnly, StoreUnavailable
from indicators.i18n import tr

# Layout that holds at 1440, 1024 and 390 px: wide tables scroll inside their box instead of squeezing
# their cells to one character a line, and buttons keep their label on one line.
PAGE_CSS = (
    "<style>"
    ".scroll-x{overflow-x:auto;max-width:100%}"
    "[data-testid='stDownloadButton'] button p,[data-testid='stButton'] button p{white-space:nowrap}"
    ".badges{line-height:2;display:flex;flex-wrap:wrap;gap:.25rem .5rem}.badges>span{white-space:nowrap}"
    "</style>"
)


def city_label(row: pd.Series, lang: str) -> str:
    return f"{row.name_zh} {row.name_en}" if lang == "zh" else f"{row.name_en} {row.name_zh}"


def status_badge(code: str, lang: str) -> str:
    """An inline HTML badge: colour, symbol and word (never colour alone)."""
    colour, text = vocabulary.STATUS[code].colour, vocabulary.STATUS[code].text_colour
    label = html.escape(vocabulary.status_label(code, lang))
    return (
        f"<span style='background:#{colour};color:#{text};padding:.1rem .45rem;border-radius:.3rem;"
        f"font-weight:600;white-space:nowrap;display:inline-block'>{label}</span>"
    )


def name(row: pd.Series, field: str, lang: str) -> str:
    """row[field + '_zh'] or row[field + '_en'] by language."""
    return str(row[f"{field}_zh" if lang == "zh" else f"{field}_en"])


# Streamlit's date field takes a typed date when a press outside it takes the focus away, not on Enter (nor
# on a bare blur()). This listener (a script-only st.components.v2 component, mounted beside the field) makes
# Enter in a date field do what such a press does, so that Enter applies the date as leaving does.
# Registered once per process; the listener is added once per page.
_ENTER_LEAVES_DATE_FIELD = st.components.v2.component(
    "dabiao_enter_applies_date",
    js="""
export default function () {
  if (window.__dabiaoEnterAppliesDate) return;
  window.__dabiaoEnterAppliesDate = true;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing || !(event.target instanceof Element)) return;
    if (!event.target.closest('[data-testid="stDateInputField"]')) return;
    event.preventDefault();
    // the field takes its date when a press lands outside it and focus leaves, as a click elsewhere does
    for (const type of ["pointerdown", "mousedown", "pointerup", "mouseup"]) {
      const Kind = type.startsWith("pointer") ? PointerEvent : MouseEvent;
      document.body.dispatchEvent(new Kind(type, { bubbles: true, cancelable: true, button: 0 }));
    }
    event.target.blur();
  }, true);
}
""",
)


def as_of_picker(lang: str) -> dt.date | None:
    """The sidebar date every dashboard page evaluates at; empty means each city's latest month. A typed date
    applies on Enter and on leaving the field."""
    day = st.sidebar.date_input(
        tr("as_of", lang),
        value=None,
        key="as_of",
        help=tr("as_of_help", lang),
        format="YYYY-MM-DD",
        min_value=dt.date(2010, 1, 1),
    )
    with st.sidebar:
        _ENTER_LEAVES_DATE_FIELD(key="as_of_enter")
    return day


def show_error(exc: DabiaoError, lang: str, code: bool = True) -> None:
    """The one way a page shows a refusal the product raised on purpose: the sentence, and the stable code
    small below it (for whoever helps the clerk), never the code in place of the sentence."""
    st.error(exc.message(lang))
    if code and exc.code:
        st.caption(f"{tr('error_code', lang)} {exc.code}")


def both(key: str) -> str:
    """A message in Chinese and English, one per line (for notices shown before the language is known)."""
    return f"{tr(key, 'zh')}  \n{tr(key, 'en')}"


@contextmanager
def notices() -> Iterator[None]:
    """Around every page run (app.py, and each page header): a busy, damaged or read-only store and any other
    refusal become the bilingual notice, and a bug the bilingual "something went wrong" with its traceback in
    the server log, never Streamlit's error box."""
    try:
        yield
    except StoreBusy:
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
