"""Upload results and value histories as people read them: plain text for the command line, tables with
translated headers for the upload page. No I/O."""

from __future__ import annotations

import pandas as pd

from indicators import units
from indicators.i18n import tr, tr_code
from indicators.ingest import errors as ue
from indicators.ingest.names import Lookup
from indicators.ingest.service import Outcome

MAX_LINES = 50


def _num(x: object) -> str:
    return "—" if x is None or pd.isna(x) else format(float(x), ".10g")  # type: ignore[arg-type]


def _batch_ref(x: object) -> str:
    return "" if x is None or pd.isna(x) else str(int(x))  # type: ignore[call-overload]


def _month(x: object) -> str:
    return pd.Timestamp(x).strftime("%Y-%m")  # type: ignore[arg-type]


def ingest_lines(outcome: Outcome, dry_run: bool) -> list[str]:
    o = outcome
    if o.fatal:
        head = "文件无法使用，未写入任何数据 / the file cannot be used; nothing was written"
    elif dry_run:
        head = "预演：未写入任何数据 / dry run: nothing was written"
    elif o.batch_id is not None:
        head = f"已提交批次 {o.batch_id} / committed as batch {o.batch_id}"
    elif o.rejected:
        head = (
            "有被拒绝的数据，未写入任何数据（仅提交有效行请加 --valid-only） / values were rejected; "
            "nothing was written (add --valid-only to commit the valid rows)"
        )
    else:
        head = "与现有数据相同，未写入任何数据 / same as the stored values; nothing was written"
    lines = [
        head,
        f"新增 new {o.new} · 修改 changed {o.changed} · 不变 unchanged {o.unchanged} · "
        f"拒绝 rejected {o.rejected}",
    ]
    changes = o.diff[o.diff["status"] != "unchanged"] if len(o.diff) else o.diff
    if len(changes):
        lines.append("变更 changes (行 row, 城市 city, 指标 indicator, 月份 period: 原值 old → 新值 new):")
        for r in changes.head(MAX_LINES).itertuples():
            demo = " (示例 demo)" if r.old_is_demo is True else ""
            old = _num(r.old_value) + demo
            lines.append(f"  {r.row:>5}  {r.city} {r.indicator} {_month(r.period)}: {old} → {_num(r.value)}")
        if len(changes) > MAX_LINES:
            lines.append(f"  … 另有 {len(changes) - MAX_LINES} 项 / {len(changes) - MAX_LINES} more")
    if o.errors:
        lines.append("错误 errors (行 row, 列 column, 代码 code):")
        for e in o.errors[:MAX_LINES]:
            where = f"{e.row if e.row is not None else '-':>5}  [{e.column or '-'}]"
            lines.append(f"  {where} {e.code}: {e.message_zh} / {e.message_en}")
        if len(o.errors) > MAX_LINES:
            more = len(o.errors) - MAX_LINES
            lines.append(f"  … 另有 {more} 项 / {more} more (see --format json)")
    return lines


def history_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Revisions as JSON-ready records."""
    records = []
    for r in frame.itertuples():
        records.append(
            {
                "period": _month(r.period),
                "revision": int(r.revision),
                "value": None if pd.isna(r.value) else float(r.value),
                "original_value": None if pd.isna(r.original_value) else float(r.original_value),
                "original_unit": None if pd.isna(r.original_unit) else r.original_unit,
                "note": None if pd.isna(r.note) else r.note,
                "is_demo": bool(r.is_demo),
                "batch_id": int(r.batch_id),
                "kind": r.kind,
                "file_name": None if pd.isna(r.file_name) else r.file_name,
                "actor": r.actor,
                "created_at": pd.Timestamp(r.created_at).isoformat(timespec="seconds"),
                "undone_by": None if pd.isna(r.undone_by) else int(r.undone_by),
                "current": bool(r.current),
            }
        )
    return records


def history_lines(title: str, frame: pd.DataFrame) -> list[str]:
    columns = "月份 period  版本 rev  数值 value  原值 as written  批次 batch  类型 kind  人 who  时间 when"
    lines = [title, columns]
    for r in history_records(frame):
        written = f"{_num(r['original_value'])} {r['original_unit'] or ''}".strip()
        state = " ← 当前 current" if r["current"] else ""
        if r["undone_by"] is not None:
            state = f" (已由批次 {r['undone_by']} 撤销 undone by batch {r['undone_by']})"
        lines.append(
            f"{r['period']}  {r['revision']:>3}  {_num(r['value']):>10}  {written:<16} {r['batch_id']:>5}  "
            f"{r['kind']:<6} {r['actor']}  {r['created_at']}{state}"
        )
    if frame.empty:
        lines.append("（没有数据 no values）")
    return lines


def changes_frame(diff: pd.DataFrame, names: Lookup, lang: str) -> pd.DataFrame:
    """The preview as a table: where, what was written, old → new in the canonical unit, and the change."""
    pick = 0 if lang == "zh" else 1

    def indicator(code: str) -> str:
        i = names.indicators[code]
        return i.name_zh if lang == "zh" else i.name_en

    demo = f" ({tr('up_demo', lang)})"
    old = [
        _num(v) + (demo if d is True else "")
        for v, d in zip(diff["old_value"], diff["old_is_demo"], strict=True)
    ]
    return pd.DataFrame(
        {
            tr("up_row", lang): diff["row"].astype(int).to_numpy(),
            tr("city", lang): [names.city_names[c][pick] for c in diff["city"]],
            tr("indicator", lang): [indicator(c) for c in diff["indicator"]],
            tr("up_period", lang): [_month(p) for p in diff["period"]],
            tr("up_written", lang): [
                f"{_num(v)} {u or ''}".strip()
                for v, u in zip(diff["original_value"], diff["original_unit"], strict=True)
            ],
            tr("up_old", lang): old,
            tr("up_newval", lang): [_num(v) for v in diff["value"]],
            tr("up_unit", lang): [units.label(names.indicators[c].unit, lang) for c in diff["indicator"]],
            tr("up_state", lang): [tr_code("diff_status", s, lang) for s in diff["status"]],
        }
    )


def errors_frame(errors: list[ue.UploadError], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("up_row", lang): [e.row for e in errors],
            tr("up_column", lang): [e.column or "" for e in errors],
            tr("up_message", lang): [e.message(lang) for e in errors],
            tr("up_code", lang): [e.code for e in errors],  # after the sentence: for whoever helps
        }
    ).astype({tr("up_row", lang): "Int64"})


def batches_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """store.batches_frame with translated headers and kinds."""
    return pd.DataFrame(
        {
            tr("up_batch", lang): frame["id"].astype(int),
            tr("up_kind", lang): [tr_code("batch_kind", k, lang) for k in frame["kind"]],
            tr("up_file_name", lang): frame["file_name"].fillna(""),
            tr("up_actor", lang): frame["actor"],
            tr("up_when", lang): pd.to_datetime(frame["created_at"]).dt.strftime("%Y-%m-%d %H:%M"),
            tr("up_values", lang): frame["values"].astype(int),
            tr("up_undone_by", lang): frame["undone_by"].map(_batch_ref),
            tr("up_undoes", lang): frame["undoes"].map(_batch_ref),
        }
    )


def batch_values_table(
    values: pd.DataFrame, city_names: dict[str, str], indicator_names: dict[str, str], lang: str
) -> pd.DataFrame:
    """store.batch_values as the upload page shows it: where, the value written, the value it replaced."""
    return pd.DataFrame(
        {
            tr("city", lang): [city_names.get(c, c) for c in values["city"]],
            tr("indicator", lang): [indicator_names.get(c, c) for c in values["indicator"]],
            tr("up_period", lang): [_month(p) for p in values["period"]],
            tr("up_newval", lang): [_num(v) for v in values["value"]],
            tr("up_written", lang): [
                f"{_num(v)} {u or ''}".strip() if pd.notna(v) else ""
                for v, u in zip(values["original_value"], values["original_unit"], strict=True)
            ],
            tr("up_old", lang): [_num(v) for v in values["previous_value"]],
        }
    )


def history_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """store.history as the upload page shows it: every revision, newest last, which one is current."""
    records = history_records(frame)
    return pd.DataFrame(
        {
            tr("up_period", lang): [r["period"] for r in records],
            tr("up_revision", lang): [r["revision"] for r in records],
            tr("up_newval", lang): [_num(r["value"]) for r in records],
            tr("up_batch", lang): [r["batch_id"] for r in records],
            tr("up_kind", lang): [tr_code("batch_kind", str(r["kind"]), lang) for r in records],
            tr("up_actor", lang): [r["actor"] for r in records],
            tr("up_when", lang): [str(r["created_at"]).replace("T", " ")[:16] for r in records],
            tr("up_current", lang): [
                tr("up_is_current", lang)
                if r["current"]
                else tr("up_undone_in", lang).format(batch=r["undone_by"])
                if r["undone_by"] is not None
                else ""
                for r in records
            ],
        }
    )
