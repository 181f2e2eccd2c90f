"""数据上报 Upload: the city template, a file, a preview of every change, an all-or-nothing commit, undo.

Uploading and undoing need a signed-in staff or administrator account (issue 6); the city is chosen among
the account's cities, and the library itself rejects rows of other cities (`not_permitted`) and refuses
writes of accounts that may not write. A busy database shows the 'busy' label, never the error.
"""

import hashlib

import streamlit as st

from indicators.accounts.actor import Actor, NotPermitted
from indicators.i18n import tr
from indicators.ingest import errors as ue
from indicators.ingest import read as upload_read
from indicators.ingest import service as uploads
from indicators.ingest import text as upload_text
from indicators.paths import db_path
from indicators.reporting.csv_text import frame_csv
from indicators.store import db
from pages import common

MAX_SHOWN = 1000
MAX_ERRORS_SHOWN = 200
COLOURS = {"new": "#e3f4e1", "changed": "#fff1c2", "unchanged": "#ffffff"}

path = str(db_path())
state = st.session_state
state.setdefault("up_nonce", 0)
lang = str(state.get("lang", "zh"))


def reporter() -> tuple[str, Actor] | None:
    """The city reported for and the signed-in actor (None, with a sign-in form, when nobody may write)."""
    account = common.signed_in()
    if account is None:
        st.info(tr("login_needed", lang), icon=":material/lock:")
        common.login_form(lang, "upload")
        return None
    actor = account.actor()
    if not actor.may_upload:
        st.warning(tr("up_viewer", lang))
        return None
    cities = common.cities()
    labels = {
        row.code: common.city_label(row, lang) for row in cities.itertuples() if actor.may_write(row.code)
    }
    options = {"format_func": labels.get, "key": f"up_city_{lang}", "help": tr("up_city_help", lang)}
    left, right = st.columns([2, 1])
    city = str(left.selectbox(tr("up_city", lang), list(labels), **options))
    right.text_input(tr("up_as", lang), actor.name, disabled=True, key="up_as")
    return city, actor


def progress_bar():  # type: ignore[no-untyped-def]
    bar = st.progress(0.0)
    return bar, lambda stage, share: bar.progress(share, text=tr(f"up_progress_{stage}", lang))


def show_preview(p: uploads.Preview) -> None:
    r = p.report
    layout = tr(f"up_{r.layout}", lang) if r.layout else ""
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
        shown = errors.head(MAX_ERRORS_SHOWN).map(lambda v: common.plain(v) if isinstance(v, str) else v)
        st.table(shown.set_index(errors.columns[0]))  # st.table renders Markdown: the cells quote the file
        st.download_button(
            tr("up_errors_csv", lang),
            frame_csv(errors).encode("utf-8-sig"),
            file_name="errors.csv",
            key="up_errors_csv",
            icon=":material/download:",
        )


def commit_controls(p: uploads.Preview) -> None:
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
    blocked = nothing or (bool(r.errors) and not valid_only)
    if st.button(tr("up_commit_button", lang), type="primary", disabled=blocked, key="up_commit"):
        bar, step = progress_bar()
        outcome = uploads.commit(path, p, actor, valid_only=valid_only, progress=step)
        bar.empty()
        state.up_result = (outcome.batch_id, outcome.new, outcome.changed)
        state.pop("up_preview", None)
        state.up_nonce += 1  # a fresh file picker: the committed file is done
        st.rerun()


def upload_section() -> None:
    st.subheader(tr("up_template", lang))
    st.caption(tr("up_template_help", lang))
    with st.container(horizontal=True):
        for fmt in ("csv", "xlsx"):
            name, content = common.upload_template(city, fmt)
            st.download_button(
                tr(f"up_template_{fmt}", lang),
                content,
                file_name=name,
                key=f"up_tpl_{fmt}",
                icon=":material/download:",
            )
    if state.get("up_result"):
        batch, new, changed = state.pop("up_result")
        if batch is not None:
            st.success(tr("up_done", lang).format(batch=batch, new=new, changed=changed))
        else:
            st.info(tr("up_nothing", lang))
    file = st.file_uploader(tr("up_file", lang), type=["csv", "xlsx", "txt"], key=f"up_file_{state.up_nonce}")
    if file is None:
        return
    data = file.getvalue()
    sheets = upload_read.sheet_names(data)
    sheet = st.selectbox(tr("up_sheet", lang), sheets, key="up_sheet") if len(sheets) > 1 else None
    key = (hashlib.sha256(data).hexdigest(), city, actor.name, sheet)
    if state.get("up_preview_key") != key:
        bar, step = progress_bar()
        state.up_preview = uploads.preview(path, data, file.name, actor, sheet, progress=step)
        state.up_preview_key = key
        bar.empty()
    st.subheader(tr("up_preview", lang))
    show_preview(state.up_preview)
    commit_controls(state.up_preview)


def history_section() -> None:
    st.subheader(tr("up_history", lang))
    if state.get("up_undone"):
        batch, undo, values = state.pop("up_undone")
        st.success(tr("up_undone", lang).format(batch=batch, undo=undo, values=values))
    frame = uploads.batches(path, city)
    if len(frame):
        st.dataframe(upload_text.batches_table(frame, lang), hide_index=True, width="stretch")
    candidates = uploads.undoable(frame, actor)
    if candidates.empty:
        st.caption(tr("up_no_batches", lang))
        return
    names = {
        int(r.id): " · ".join([str(r.id), r.file_name or tr(f"up_kind_{r.kind}", lang), r.actor])
        for r in candidates.fillna({"file_name": ""}).itertuples()
    }
    pick = st.selectbox(tr("up_undo_pick", lang), list(names), format_func=names.get, key="up_undo_pick")
    if st.button(tr("up_undo", lang), key="up_undo"):
        try:
            done = uploads.undo(path, int(pick), actor)
        except ue.UndoRefused as exc:
            st.error(exc.message_zh if lang == "zh" else exc.message_en)
            return
        state.up_undone = (done.undone_batch_id, done.undo_batch_id, done.values)
        state.pop("up_preview_key", None)  # a preview on screen compared with the values before the undo
        st.rerun()


try:
    lang = common.page_header()
    st.title(tr("up_title", lang))
    st.caption(tr("up_intro", lang))
    chosen = reporter()
    if chosen is not None:
        city, actor = chosen
        upload_section()
        st.divider()
        history_section()
except db.StoreBusy:  # another process holds the database longer than the retries wait
    st.warning(tr("busy", lang))
except NotPermitted as exc:  # e.g. the account was removed or lost the city between two clicks
    st.error(exc.message_zh if lang == "zh" else exc.message_en)
except Exception:  # a read-only or damaged store, any other refusal, a bug: the bilingual notice
    with common.notices():
        raise
