"""The meeting's widgets (issue 16), called from the scorecard, overview and city pages: owners' notes, the
snapshot selector and its mark, "since the last snapshot", taking a snapshot, the status strip and the stacked
chart of statuses per month. Functions taking what they use; reads cached per database write (snapshots
never change, so theirs are cached by name)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators.errors import DabiaoError
from indicators.i18n import tr
from indicators.meeting import briefing, history, notes, snapshots
from indicators.meeting import diff as changes
from indicators.reporting import html as report_html
from indicators.reporting import scorecard as report
from indicators.reporting.style import COLUMNS
from indicators.vocabulary import STATUS, STATUSES, WORST_FIRST, status_label
from pages import cache, signin
from pages.common import name

CURRENT = "__current__"


@st.cache_data(show_spinner=False)
def _latest_notes(path: str, version: float) -> pd.DataFrame:
    return notes.latest(path)


@st.cache_data(show_spinner=False)
def _snapshot_names(path: str, version: float) -> list[str]:
    return snapshots.names(path)


@st.cache_resource(show_spinner=False, max_entries=8)
def _snapshot(path: str, name: str) -> snapshots.Snapshot:  # a snapshot never changes: cached by name
    return snapshots.show(path, name)


@st.cache_data(show_spinner=False, max_entries=8)
def _since(path: str, version: float, name: str) -> list[dict[str, object]]:
    return changes.diff(path, name, snapshots.NOW).status_changes


@st.cache_data(show_spinner=False, max_entries=16)
def _history(path: str, version: float, city: str, months: int) -> pd.DataFrame:
    return history.status_history(path, city, months=months)


def _path() -> str:
    return cache.path()


def warm() -> None:
    """At server start and after each write (pages.cache.warm_pages): the snapshots' names, the changes
    since the latest one and the notes in force, which every dashboard page reads."""
    path, version = _path(), cache._version()
    names = _snapshot_names(path, version)
    if names:
        _since(path, version, names[-1])
    _latest_notes(path, version)


def with_notes(evaluated: pd.DataFrame) -> pd.DataFrame:
    """The evaluated rows with the note in force on each target (column note)."""
    return notes.attach(evaluated, _latest_notes(_path(), cache._version()))


def snapshot_picker(lang: str) -> snapshots.Snapshot | None:
    """In the sidebar: the current data or one of the snapshots (None: current)."""
    names = _snapshot_names(_path(), cache._version())
    if not names:
        return None
    with st.sidebar:
        pick = st.selectbox(
            tr("snapshot", lang),
            [CURRENT, *reversed(names)],
            key="meeting_snapshot",
            format_func=lambda n: tr("snapshot_current", lang) if n == CURRENT else n,
        )
    return None if pick == CURRENT else _snapshot(_path(), pick)


def rows_shown(evaluated: pd.DataFrame, snap: snapshots.Snapshot | None) -> pd.DataFrame:
    """The snapshot's rows exactly as frozen, or the current rows with their notes."""
    return snapshots.frame(snap) if snap is not None else with_notes(evaluated)


def snapshot_mark(snap: snapshots.Snapshot | None, lang: str) -> None:
    """A clear mark that the page shows a snapshot, with when it was taken and from which data."""
    if snap is None:
        return
    taken = f"{snap.created_at:%Y-%m-%d %H:%M}" if snap.created_at else "—"
    text = tr("snapshot_marked", lang).format(
        name=snap.name, taken=taken, by=snap.created_by, batch=snap.basis.max_batch_id
    )
    st.warning(text, icon=":material/photo_camera:")


def with_changes(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows with their change since the last snapshot (column change: '↓ 原为滞后'; '—' unchanged)."""
    names = _snapshot_names(_path(), cache._version())
    if not names or rows.empty:
        return rows
    found = {
        str(c["target_id"]): changes.change_cell(c, lang)
        for c in _since(_path(), cache._version(), names[-1])
    }
    return rows.assign(change=[found.get(str(t), "—") for t in rows["target_id"]])


def table_columns(rows: pd.DataFrame, drop: tuple[str, ...] = ()) -> list[str]:
    """The scorecard's columns on the pages: the owner's note beside the computed "why", and the change
    since the last snapshot beside the status when the rows carry it."""
    cols = [*COLUMNS, "note"]
    if "change" in rows:
        cols.insert(cols.index("status") + 1, "change")
    return [c for c in cols if c not in drop]


def scorecard_html(rows: pd.DataFrame, lang: str, large: bool = False, drop: tuple[str, ...] = ()) -> str:
    """The scorecard with the owner's note beside the computed "why" (and the change since the last
    snapshot); large: meeting mode's."""
    columns = table_columns(rows, drop)
    return report_html.scorecard_html(report.scorecard(rows, lang), lang, large=large, columns=columns)


def since_last(lang: str, limit: int = 12) -> None:
    """Targets that changed status since the last snapshot: turned worse first, then better, with arrows,
    in the page's language and the other one beside it."""
    names = _snapshot_names(_path(), cache._version())
    if not names:
        return
    found = _since(_path(), cache._version(), names[-1])
    other = "en" if lang == "zh" else "zh"
    with st.container(border=True):
        head, other_head = (tr("since_last", x).format(name=names[-1]) for x in (lang, other))
        st.markdown(f"**{head}** · {other_head}")
        if not found:
            st.caption(f"{tr('since_none', lang)} {tr('since_none', other)}")
            return
        lines = []
        for c in found[:limit]:
            colour = STATUS[str(c["status_after"])].colour
            lines.append(
                f"<li><span style='color:#{colour};font-weight:700'>"
                f"{html.escape(changes.change_line(c, lang))}</span> "
                f"<span style='color:#666'>· {html.escape(changes.change_line(c, other))}</span></li>"
            )
        more = f"<li>… {len(found) - limit}</li>" if len(found) > limit else ""
        st.html(f"<ul style='margin:0'>{''.join(lines)}{more}</ul>")


def take_snapshot(lang: str) -> None:
    """For administrators: name and take a snapshot; the briefing book of the latest one."""
    account = signin.signed_in()
    if account is None or account.role != "admin":
        return
    with st.expander(tr("snapshot_take", lang), icon=":material/photo_camera:"):
        with st.form("meeting_take_snapshot", clear_on_submit=True, border=False):
            name = st.text_input(tr("snapshot_name", lang), key="meeting_snapshot_name")
            if st.form_submit_button(tr("snapshot_button", lang)):
                try:
                    snap = snapshots.create(_path(), account.actor(), name)
                except DabiaoError as exc:
                    st.error(exc.message(lang))
                else:
                    st.success(tr("snapshot_done", lang).format(name=snap.name, n=len(snap.records)))
        names = _snapshot_names(_path(), cache._version())
        if names:
            st.download_button(
                tr("briefing_pdf", lang) + f" · {names[-1]}",
                lambda: briefing.pdf_bytes(_path(), names[-1]),
                file_name="briefing.pdf",
                mime="application/pdf",
                key="meeting_briefing",
            )


def note_entry(city: str, targets: pd.DataFrame, lang: str) -> None:
    """For the city's staff and administrators: write a note on one of the city's targets."""
    account = signin.signed_in()
    if account is None or not account.actor().may_write(city):
        return
    labels = {
        r.target_id: f"{name(r, 'indicator', lang)} · {r.deadline:%Y-%m-%d} · {status_label(r.status, lang)}"
        for _, r in targets.iterrows()
    }
    with st.expander(tr("note_add", lang), icon=":material/edit_note:"):
        with st.form(f"meeting_note_{city}", clear_on_submit=True, border=False):
            target = st.selectbox(tr("note_target", lang), list(labels), format_func=labels.get)
            text = st.text_area(tr("note_text", lang), key=f"meeting_note_text_{city}")
            month = st.text_input(
                tr("note_month", lang), placeholder="YYYY-MM", key=f"meeting_note_month_{city}"
            )
            if st.form_submit_button(tr("note_save", lang)):
                try:
                    n = notes.add_note(_path(), account.actor(), str(target), text, notes.parse_month(month))
                except DabiaoError as exc:
                    st.error(exc.message(lang))
                else:
                    st.success(tr("note_saved", lang).format(n=n))


def status_strip(frame: pd.DataFrame, target_id: str, lang: str) -> None:
    """One target's status at each month end, as a strip of coloured cells (hover: month and status)."""
    strip = strip_html(frame[frame["target_id"] == target_id], lang).get(target_id)
    if strip:
        st.html(strip)


def strip_html(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    """Per target of the history (its first row), the HTML of its status strip, built in one pass over the
    frame (a page of many cards looks each one up instead of filtering the frame per card); a target with
    no status at any month end has none."""
    months = [c for c in frame.columns if isinstance(c, pd.Timestamp)]
    title = html.escape(tr("status_strip", lang))
    out: dict[str, str] = {}
    rows = frame[months].itertuples(index=False, name=None)
    for target_id, values in zip(frame["target_id"], rows, strict=True):
        if target_id in out:
            continue
        cells = []
        for m, s in zip(months, values, strict=True):
            if s is None:
                continue
            label = html.escape(f"{m:%Y-%m} {status_label(str(s), lang)}")
            cells.append(f"<span title='{label}' style='flex:1;background:#{STATUS[str(s)].colour}'></span>")
        style = "display:flex;height:10px;gap:1px;margin:.2rem 0"
        out[target_id] = f"<div title='{title}' style='{style}'>{''.join(cells)}</div>" if cells else ""
    return out


def city_history(city: str, months: int = 24) -> pd.DataFrame:
    """The city's status history (cached per database write)."""
    return _history(_path(), cache._version(), city, months)


def stacked_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Counts per status per month end, stacked, worst at the bottom."""
    counts = history.city_counts(frame)
    fig = go.Figure()
    for s in [w for w in WORST_FIRST if w in STATUSES]:
        months = counts["month"].dt.strftime("%Y-%m")  # a month end would be drawn at the next month
        fig.add_bar(x=months, y=counts[s], name=status_label(s, lang), marker_color=f"#{STATUS[s].colour}")
    fig.update_layout(barmode="stack", height=260, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      title=tr("status_stacked", lang), legend={"orientation": "h"})  # fmt: skip
    return fig
