"""数据上报 Upload: the city template, a file, a preview of every change and of what it does to statuses, an
all-or-nothing commit, the batches with their contents, the history of one value, and undo (confirmed).

Uploading and undoing need a signed-in staff or administrator account (issue 6); the city is chosen among
the account's cities, and the library itself rejects rows of other cities (`not_permitted`) and refuses
writes of accounts that may not write. A busy database shows the 'busy' label, never the error.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from indicators.accounts.actor import Actor
from indicators.errors import DabiaoError, StoreBusy
from indicators.i18n import tr, tr_code
from indicators.ingest import read as upload_read
from indicators.ingest import service as uploads
from indicators.ingest import text as upload_text
from indicators.reporting.csv_text import frame_csv
from indicators.status import impact as status_impact
from pages import cache, common, nav, signin
from pages.common import city_label, notices, show_error, status_badge

MAX_SHOWN = 1000
MAX_ERRORS_SHOWN = 200
COLOURS = {"new": "#e3f4e1", "changed": "#fff1c2", "unchanged": "#ffffff"}


def reporter(lang: str) -> tuple[str, Actor] | None:
    """The city reported for and the signed-in actor (None, with a sign-in form, when nobody may write)."""
    account = signin.signed_in()
    if account is None:
        st.info(tr("login_needed", lang), icon=":material/lock:")
        signin.login_form(lang, "upload")
        return None
    actor = account.actor()
    if not actor.may_upload:
        st.warning(tr("up_viewer", lang))
        return None
    labels = {r.code: city_label(r, lang) for r in cache.cities().itertuples() if actor.may_write(r.code)}
    options: dict[str, Any] = {"format_func": labels.get, "key": f"up_city_{lang}"}
    left, right = st.columns([2, 1])
    city = str(left.selectbox(tr("up_city", lang), list(labels), help=tr("up_city_help", lang), **options))
    right.text_input(tr("up_as", lang), actor.name, disabled=True, key="up_as")
    return city, actor


def progress_bar(lang: str) -> tuple[Any, Callable[[str, float], None]]:
    bar = st.progress(0.0)
    return bar, lambda stage, share: bar.progress(share, text=tr_code("progress", stage, lang))


def show_preview(p: uploads.Preview, lang: str) -> None:
    r = p.report
    layout = tr_code("layout", r.layout, lang) if r.layout else ""
    st.caption(
        " · ".join(common.plain(x) for x in (r.file_name, layout, r.encoding or "", r.sheet or "") if x)
    )
    if r.fatal:
        st.error(tr("up_fatal", lang))
    else:
        counts = [("up_new", p.count("new")), ("up_changed", p.count("changed"))]
        counts += [("up_unchanged", p.count("unchanged")), ("up_rejected", r.rejected)]
        for col, (key, n) in zip(st.columns(4), counts, strict=True):
            col.metric(tr(key, lang), n)
    diff = p.diff
    if len(diff):
        st.markdown(f"**{tr('up_changes', lang)}**")
        if not st.toggle(tr("up_show_unchanged", lang), key="up_show_unchanged"):
            diff = diff[diff["status"] != "unchanged"]
        if len(diff) > MAX_SHOWN:
            st.caption(tr("up_first_rows", lang).format(n=MAX_SHOWN, total=len(diff)))
        shown = diff.head(MAX_SHOWN)
        table = upload_text.changes_frame(shown, p.names, lang)
        colours = [f"background-color: {COLOURS[s]}" for s in shown["status"]]
        styled = table.style.apply(lambda col: colours, axis=0)
        st.dataframe(styled, hide_index=True, width="stretch")
    if r.errors:
        st.markdown(f"**{tr('up_errors', lang)}**")
        errors = upload_text.errors_frame(r.errors, lang)
        if len(errors) > MAX_ERRORS_SHOWN:
            st.caption(tr("up_first_rows", lang).format(n=MAX_ERRORS_SHOWN, total=len(errors)))
        st.html(upload_text.errors_html(r.errors[:MAX_ERRORS_SHOWN], lang))
        st.download_button(
            tr("up_errors_csv", lang),
            frame_csv(errors).encode("utf-8-sig"),
            file_name="errors.csv",
            key="up_errors_csv",
            icon=":material/download:",
        )


def show_impact(found: status_impact.Impact, lang: str) -> bool:
    """What the commit would do to statuses; True when it would leave most of a city's targets without
    data (then the commit asks for a confirmation)."""
    st.markdown(f"**{tr('up_impact', lang)}**")
    for c in found.warnings:
        before = f"{c.as_of_before:%Y-%m}" if c.as_of_before is not None else "—"
        after = f"{c.as_of_after:%Y-%m}" if c.as_of_after is not None else "—"
        city = c.city_zh if lang == "zh" else c.city_en
        st.warning(
            tr("up_blank_warning", lang).format(
                city=city, n=c.no_data_after, total=c.targets, before=before, after=after
            ),
            icon=":material/warning:",
        )
    changes = found.changes
    if changes.empty:
        st.caption(tr("up_impact_none", lang))
        return bool(found.warnings)
    zh = lang == "zh"
    rows = "".join(
        f"<tr><td>{html.escape(str(r.city_zh if zh else r.city_en))}</td>"
        f"<td>{html.escape(str(r.indicator_zh if zh else r.indicator_en))}</td>"
        f"<td>{status_badge(r.before, lang)} → {status_badge(r.after, lang)}</td></tr>"
        for r in changes.head(MAX_SHOWN).itertuples()
    )
    head = "".join(f"<th>{html.escape(tr(k, lang))}</th>" for k in ("city", "indicator", "up_status_change"))
    st.caption(tr("up_impact_n", lang).format(n=len(changes)))
    st.html(
        "<style>.impact{max-height:22rem;overflow:auto}.impact table{border-collapse:collapse;width:100%}"
        ".impact td,.impact th{padding:.25rem .5rem;border-bottom:1px solid #e3e8ee;text-align:left}</style>"
        f"<div class='impact'><table><tr>{head}</tr>{rows}</table></div>"
    )
    return bool(found.warnings)


def commit_controls(path: str, p: uploads.Preview, actor: Actor, blanks: bool, lang: str) -> None:
    r = p.report
    if r.fatal:
        return
    st.subheader(tr("up_commit", lang))
    valid_only = bool(r.errors) and st.checkbox(tr("up_valid_only", lang), key="up_valid_only")
    if r.errors and not valid_only:
        st.warning(tr("up_refuse", lang))
    nothing = p.count("new") + p.count("changed") == 0
    if nothing:
        st.info(tr("up_nothing", lang))
    confirmed = not blanks or st.checkbox(tr("up_blank_confirm", lang), key="up_blank_confirm")
    blocked = nothing or (bool(r.errors) and not valid_only) or not confirmed
    if st.button(tr("up_commit_button", lang), type="primary", disabled=blocked, key="up_commit"):
        bar, step = progress_bar(lang)
        outcome = uploads.commit(path, p, actor, valid_only=valid_only, progress=step)
        bar.empty()
        if outcome.batch_id is not None:
            cache.after_write()
        state = st.session_state
        state.up_result = (outcome.batch_id, outcome.new, outcome.changed)
        state.pop("up_preview", None)
        state.up_nonce += 1  # a fresh file picker: the committed file is done
        st.rerun()


def template_section(city: str, lang: str) -> None:
    st.subheader(tr("up_template", lang))
    st.caption(tr("up_template_help", lang))
    with st.container(horizontal=True):
        for fmt in ("csv", "xlsx"):
            name, content = cache.upload_template(city, fmt)
            st.download_button(
                tr_code("template", fmt, lang),
                content,
                file_name=name,
                key=f"up_tpl_{fmt}",
                icon=":material/download:",
            )


def upload_section(path: str, city: str, actor: Actor, lang: str) -> None:
    state = st.session_state
    template_section(city, lang)
    if state.get("up_result"):
        batch, new, changed = state.pop("up_result")
        if batch is not None:
            st.success(tr("up_done", lang).format(batch=batch, new=new, changed=changed))
        else:
            st.info(tr("up_nothing", lang))
    # Streamlit's drop zone has English words that cannot be translated: say in Chinese what it does
    st.caption(tr("up_drop_help", lang))
    file = st.file_uploader(tr("up_file", lang), type=["csv", "xlsx", "txt"], key=f"up_file_{state.up_nonce}")
    if file is None:
        return
    data = file.getvalue()
    sheets = upload_read.sheet_names(data)
    sheet = st.selectbox(tr("up_sheet", lang), sheets, key="up_sheet") if len(sheets) > 1 else None
    key = (hashlib.sha256(data).hexdigest(), city, actor.name, sheet)
    if state.get("up_preview_key") != key:
        bar, step = progress_bar(lang)
        state.up_preview = uploads.preview(path, data, file.name, actor, sheet, progress=step)
        state.up_impact = status_impact.impact(path, state.up_preview.report.accepted)
        state.up_preview_key = key
        bar.empty()
    st.subheader(tr("up_preview", lang))
    show_preview(state.up_preview, lang)
    blanks = show_impact(state.up_impact, lang) if not state.up_preview.report.fatal else False
    commit_controls(path, state.up_preview, actor, blanks, lang)


def batch_label(r: Any, lang: str) -> str:
    """Batch 12 · march.csv · 小王 · 2026-12-01 09:30 · 5 values: what an undo names."""
    when = pd.Timestamp(r.created_at).strftime("%Y-%m-%d %H:%M")
    what = r.file_name or tr_code("batch_kind", r.kind, lang)
    return tr("up_batch_label", lang).format(id=r.id, file=what, who=r.actor, when=when, n=r.values)


def batch_contents(batch_id: int, lang: str) -> None:
    values = cache.batch_values(batch_id)
    zh = lang == "zh"
    cities = dict(zip(cache.cities().code, cache.cities()["name_zh" if zh else "name_en"], strict=True))
    names = cache.targets().drop_duplicates("indicator")
    indicators = dict(zip(names.indicator, names["indicator_zh" if zh else "indicator_en"], strict=True))
    st.caption(tr("up_batch_contents", lang).format(id=batch_id, n=len(values)))
    table = upload_text.batch_values_table(values, cities, indicators, lang)
    st.dataframe(table, hide_index=True, width="stretch")


def undo_controls(path: str, candidates: pd.DataFrame, actor: Actor, lang: str) -> None:
    """Pick a batch, see what it holds, then undo it after a confirmation that names it."""
    state = st.session_state
    names = {int(r.id): batch_label(r, lang) for r in candidates.fillna({"file_name": ""}).itertuples()}
    pick = st.selectbox(tr("up_undo_pick", lang), list(names), format_func=names.get, key="up_undo_pick")
    if pick is None:
        return
    batch_contents(int(pick), lang)
    if state.get("up_undo_pending") != pick:
        if st.button(tr("up_undo", lang), key="up_undo"):
            state.up_undo_pending = pick
            st.rerun()
        return
    st.warning(tr("up_undo_confirm_text", lang).format(batch=names[int(pick)]), icon=":material/undo:")
    yes, no = st.columns(2)
    if no.button(tr("up_undo_cancel", lang), key="up_undo_cancel"):
        state.pop("up_undo_pending", None)
        st.rerun()
    if yes.button(tr("up_undo_confirm", lang), type="primary", key="up_undo_confirm"):
        state.pop("up_undo_pending", None)
        try:
            done = uploads.undo(path, int(pick), actor)
        except DabiaoError as exc:
            show_error(exc, lang)
            return
        cache.after_write()
        state.up_undone = (done.undone_batch_id, done.undo_batch_id, done.values)
        state.pop("up_preview_key", None)  # a preview on screen compared with the values before the undo
        st.rerun()


def history_section(path: str, city: str, actor: Actor, lang: str) -> None:
    st.subheader(tr("up_history", lang))
    if st.session_state.get("up_undone"):
        batch, undo, values = st.session_state.pop("up_undone")
        st.success(tr("up_undone", lang).format(batch=batch, undo=undo, values=values))
    frame = cache.batches(city)
    if len(frame):
        st.dataframe(upload_text.batches_table(frame, lang), hide_index=True, width="stretch")
    candidates = uploads.undoable(frame, actor)
    if candidates.empty:
        st.caption(tr("up_no_batches", lang))
    else:
        undo_controls(path, candidates, actor, lang)


def value_history_section(city: str, lang: str) -> None:
    """Every revision of one of the city's indicators: who wrote which value when, and what undid it."""
    st.subheader(tr("up_value_history", lang))
    mine = cache.targets(city).drop_duplicates("indicator")
    names = {r.indicator: r.indicator_zh if lang == "zh" else r.indicator_en for r in mine.itertuples()}
    code = st.selectbox(tr("indicator", lang), list(names), format_func=names.get, key=f"up_hist_{city}")
    if code is None:
        return
    history = cache.value_history(city, str(code))
    if history.empty:
        st.caption(tr("no_measurements", lang))
        return
    st.dataframe(upload_text.history_table(history, lang), hide_index=True, width="stretch")


def main() -> None:
    lang = str(st.session_state.get("lang", "zh"))
    try:
        lang = nav.page_header()
        st.session_state.setdefault("up_nonce", 0)
        st.title(tr("up_title", lang))
        st.caption(tr("up_intro", lang))
        chosen = reporter(lang)
        if chosen is not None:
            city, actor = chosen
            path = cache.path()
            upload_section(path, city, actor, lang)
            st.divider()
            history_section(path, city, actor, lang)
            value_history_section(city, lang)
    except StoreBusy:  # another process holds the database longer than the retries wait
        st.warning(tr("busy", lang))
    except DabiaoError as exc:  # e.g. the account was removed or lost the city between two clicks
        show_error(exc, lang)
    except Exception:  # a read-only or damaged store, a bug: the bilingual notice, the traceback in the log
        with notices():
            raise


main()
