"""The audit log: who wrote what and when — uploads, undos, demo data, target edits, account changes.

Rows are appended by the store inside the transaction of each write (store.audit), never changed. This
module reads them for `indicators audit` and the administrator page, in Chinese and English.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from indicators import store
from indicators.store import db
from indicators.vocabulary import role_name

ACTIONS = {
    "upload": ("上报数据", "upload"),
    "undo": ("撤销批次", "undo"),
    "demo": ("示例数据", "demo data"),
    "target_edit": ("修改目标", "target edit"),
    "user_add": ("新增账号", "account added"),
    "user_passwd": ("修改密码", "password changed"),
    "user_remove": ("删除账号", "account removed"),
    "note": ("情况说明", "note"),
    "snapshot": ("会议快照", "snapshot"),
    "plan_import": ("导入规划", "plan imported"),
}


def log(path: Path | str, since: dt.date | None = None) -> pd.DataFrame:
    """Every audit row from `since` on, oldest first: id, at, actor, action, batch_id, subject, detail
    (a dict), values (written by the batch), cities (of those values), undoes (the batch an undo undid)."""
    with db.connect(path, read_only=True) as con:
        frame = store.audit_frame(con, since)
    frame["detail"] = frame["detail"].map(lambda text: json.loads(text) if text else {})
    frame["subject"] = frame["subject"].astype(object).where(frame["subject"].notna(), None)
    frame["cities"] = frame["cities"].map(list)
    return frame


def what(row: pd.Series, lang: str = "zh", city_names: Mapping[str, str] | None = None) -> str:
    """One line saying what the write did (cities by code, or by the names given)."""
    zh = lang == "zh"
    d = row["detail"]
    action = row["action"]
    named = city_names or {}
    if action in ("upload", "demo"):
        cities = ("、" if zh else ", ").join(named.get(c, c) for c in row["cities"])
        subject = row["subject"] if isinstance(row["subject"], str) else ""
        head = f"{subject}：" if zh and subject else f"{subject}: " if subject else ""
        return (
            f"{head}{row['values']} 个数值（{cities}）" if zh else f"{head}{row['values']} values ({cities})"
        )
    if action == "undo":
        undone = row["undoes"]
        return f"撤销批次 {undone:.0f}" if zh else f"undid batch {undone:.0f}"
    if action == "target_edit":
        changes = change_text(d.get("changes", {}), lang)
        reason = d.get("reason", "")
        return f"{changes}（原因：{reason}）" if zh else f"{changes} (reason: {reason})"
    if action == "note":
        month = f"［{d['month']}］" if d.get("month") else ""
        return f"{month}{d.get('text', '')}"
    if action == "snapshot":
        return f"{d.get('rows', 0)} 个目标" if zh else f"{d.get('rows', 0)} targets"
    if action == "plan_import":
        n = d.get("candidates", 0)
        return f"{d.get('file', '')}：{n} 个候选目标" if zh else f"{d.get('file', '')}: {n} candidate targets"
    if action in ("user_add", "user_remove"):
        cities = ", ".join(named.get(c, c) for c in d.get("cities", []))
        return role_name(d.get("role", ""), lang) + (f" [{cities}]" if cities else "")
    return ""


FIELDS = {
    "value": ("目标值", "value"),
    "deadline": ("截止日期", "deadline"),
    "responsible": ("牵头单位", "responsible"),
    "cooperating": ("配合单位", "cooperating"),
}


def change_text(changes: dict[str, object], lang: str = "zh") -> str:
    """'目标值 33.0 → 35.0；截止日期 …' for a target edit's changes (field -> (before, after))."""
    parts = []
    for field, (zh, en) in FIELDS.items():
        if field in changes:
            pair: Any = changes[field]
            old, new = pair
            if isinstance(old, list | tuple):
                old, new = "、".join(old) or "—", "、".join(new) or "—"
            elif isinstance(old, int | float):
                old, new = f"{old:g}", f"{new:g}"
            parts.append(f"{zh if lang == 'zh' else en} {old} → {new}")
    return ("；" if lang == "zh" else "; ").join(parts)


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-ready rows for `indicators audit --format json`."""
    out = []
    for r in frame.itertuples(index=False):
        out.append(
            {
                "id": int(r.id),
                "written_at": pd.Timestamp(r.written_at).isoformat(timespec="seconds"),
                "actor": r.actor,
                "os_user": None if pd.isna(r.os_user) else r.os_user,
                "action": r.action,
                "batch_id": None if pd.isna(r.batch_id) else int(r.batch_id),
                "subject": None if pd.isna(r.subject) else r.subject,
                "values": int(r.values),
                "cities": list(r.cities),
                "undoes": None if pd.isna(r.undoes) else int(r.undoes),
                "detail": r.detail,
            }
        )
    return out


def lines(frame: pd.DataFrame) -> list[str]:
    """The text of `indicators audit`: one line per write, Chinese then English."""
    out = []
    for _, r in frame.iterrows():
        zh, en = ACTIONS.get(r["action"], (r["action"], r["action"]))
        at = pd.Timestamp(r["written_at"]).strftime("%Y-%m-%d %H:%M:%S")
        batch = f" · 批次 batch {int(r['batch_id'])}" if pd.notna(r["batch_id"]) else ""
        subject = (
            f" · {r['subject']}" if pd.notna(r["subject"]) and r["action"] not in ("upload", "demo") else ""
        )
        run_by = f" · 操作系统用户 OS user {r['os_user']}" if pd.notna(r["os_user"]) else ""
        out.append(f"{at} · {r['actor']} · {zh} {en}{batch}{subject}{run_by}")
        detail_zh, detail_en = what(r, "zh"), what(r, "en")
        if detail_zh:
            out.append(f"    {detail_zh}")
            if detail_en != detail_zh:
                out.append(f"    {detail_en}")
    return out or ["审计日志为空 the audit log is empty"]


def table(log_frame: pd.DataFrame, lang: str, city_names: Mapping[str, str], limit: int) -> pd.DataFrame:
    """The newest `limit` rows of `log` as the admin page shows them, headers in the language."""
    from indicators.i18n import tr

    newest = log_frame.iloc[::-1].head(limit)
    return pd.DataFrame(
        {
            tr("audit_when", lang): pd.to_datetime(newest["written_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
            tr("audit_who", lang): newest["actor"],
            tr("audit_action", lang): newest["action"].map(
                lambda a: ACTIONS.get(a, (a, a))[0 if lang == "zh" else 1]
            ),
            tr("audit_batch", lang): newest["batch_id"].map(lambda b: "" if pd.isna(b) else f"{b:.0f}"),
            tr("audit_subject", lang): [
                "" if a in ("upload", "demo") or s is None else s
                for a, s in zip(newest.action, newest.subject, strict=True)
            ],
            tr("audit_what", lang): [what(r, lang, city_names) for _, r in newest.iterrows()],
        }
    )
