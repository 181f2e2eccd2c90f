"""The briefing book (会议简报) of a snapshot: a PDF for the 调度会, in Chinese and English.

A cover (the meeting's name, when the snapshot was taken, the exact as-of month of each city and the data it
was computed from), a summary page (counts per status per city and what changed since the previous
snapshot, worse first), then per city its red and amber items — missed, off track, lagging — with the
responsible units, the owner's note and what is needed. Page numbers; the CJK font embedded (fpdf2).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from fpdf.fonts import FontFace

from indicators import store
from indicators.meeting import diff as changes
from indicators.meeting import snapshots as snaps
from indicators.reporting.pdf import LandscapePDF
from indicators.reporting.style import rgb
from indicators.store import db
from indicators.vocabulary import BEHIND, STATUS, WORST_FIRST, status_label

HEAD = FontFace(emphasis="BOLD", fill_color=(230, 236, 244))
ITEM_WIDTHS = (22, 42, 30, 20, 40, 55, 68)  # mm, 277 = A4 landscape less 10 mm margins
ITEM_HEADERS = ("状态 Status", "指标 Indicator", "当前 / 目标 Value / target", "截止 Due",
                "责任单位 Responsible", "情况说明 Note", "所需 What is needed")  # fmt: skip


# fpdf2 2.8 garbles a wrapped line (glyphs of another font) after a status symbol drawn from the fallback
# font in the first row of a table body: the items' status cells say the words only, on their colour.
class BriefingPDF(LandscapePDF):
    def __init__(self, meeting: str):
        super().__init__()
        self.meeting = meeting
        self.set_title(f"会议简报 Briefing book · {meeting}")
        self.section = ""

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("cjk", "B", 11)
        self.cell(0, 6, f"会议简报 Briefing · {self.meeting} · {self.section}", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def text_line(self, text: str, size: float = 10, bold: bool = False, height: float = 6) -> None:
        self.set_font("cjk", "B" if bold else "", size)
        self.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _cities(records: list[dict[str, object]]) -> list[tuple[str, str, str, str]]:
    """(code, Chinese name, English name, as-of date) per city, in the snapshot's order."""
    seen: dict[str, tuple[str, str, str, str]] = {}
    for r in records:
        code = str(r["city_code"])
        seen.setdefault(code, (code, str(r["city"]), str(r["city_en"]), str(r["as_of"])))
    return list(seen.values())


def cover(pdf: BriefingPDF, snap: snaps.Snapshot) -> None:
    pdf.add_page()
    pdf.ln(18)
    pdf.text_line("调度会会议简报 · Briefing book", 14)
    pdf.text_line(snap.name, 26, bold=True, height=14)
    taken = f"{snap.created_at:%Y-%m-%d %H:%M}" if snap.created_at else "—"
    pdf.text_line(f"快照时间 {taken} · {snap.created_by} / snapshot taken {taken} by {snap.created_by}", 10)
    basis = snap.basis
    pdf.text_line(
        f"数据：截至批次 {basis.max_batch_id}，{basis.values_count} 个数值（指纹 {basis.values_hash}） / "
        f"data: batches up to {basis.max_batch_id}, {basis.values_count} values "
        f"(fingerprint {basis.values_hash})",
        9,
    )
    pdf.ln(4)
    pdf.text_line("各市数据截至月份 · As-of month of each city", 12, bold=True)
    pdf.set_font("cjk", "", 10)
    with pdf.table(col_widths=(70, 70, 40), width=180, align="LEFT", headings_style=HEAD) as table:
        table.row(["城市", "City", "截至 As of"])
        for _, zh, en, as_of in _cities(snap.records):
            table.row([zh, en, as_of[:7]])


def summary(pdf: BriefingPDF, snap: snaps.Snapshot, found: changes.Diff | None) -> None:
    pdf.section = "汇总 Summary"
    pdf.add_page()
    pdf.text_line("各市状态汇总 · Counts per status per city", 12, bold=True)
    frame = pd.DataFrame(snap.records)
    order = list(WORST_FIRST)
    moved = pd.DataFrame(found.status_changes if found else [], columns=["city_code", "direction"])
    pdf.set_font("cjk", "", 8)
    widths = (40, *(22,) * len(order), 25, 25)
    with pdf.table(col_widths=widths, text_align="CENTER", headings_style=HEAD) as table:
        table.row(["城市 City", *(f"{status_label(s, 'zh')} {STATUS[s].en}" for s in order),
                   "变差 ↓ worse", "好转 ↑ better"])  # fmt: skip
        for code, zh, en, _ in _cities(snap.records):
            mine = frame[frame["city_code"] == code]["status"].value_counts()
            theirs = moved[moved["city_code"] == code]["direction"].value_counts()
            row = table.row([f"{zh}\n{en}"])
            for s in order:
                count = int(mine.get(s, 0))
                style = (
                    FontFace(color=rgb(STATUS[s].text_colour), fill_color=rgb(STATUS[s].colour))
                    if count
                    else None
                )
                row.cell(str(count), style=style)
            row.cell(str(int(theirs.get(changes.WORSE, 0))) if found else "—")
            row.cell(str(int(theirs.get(changes.BETTER, 0))) if found else "—")
    pdf.ln(4)
    if found is None:
        pdf.text_line(
            "这是第一次快照，没有可比较的上次快照。 / The first snapshot: no earlier one to compare with.", 10
        )
        return
    pdf.text_line(
        f"自上次快照（{found.before.name}）以来的变化 · Since the last snapshot ({found.before.name})",
        12,
        True,
    )
    if not found.status_changes:
        pdf.text_line("没有目标改变状态。 / No target changed status.", 10)
    for c in found.status_changes:
        pdf.text_line(f"{changes.change_line(c, 'zh')}   /   {changes.change_line(c, 'en')}", 9, height=5)


def needed(r: dict[str, object]) -> str:
    """What is needed, both languages: the remaining months' average where it applies, else the gap to the
    expected value now (序时), else the target level by the deadline."""
    unit = str(r.get("unit") or "")
    required, expected, value = r.get("required_average"), r.get("expected"), r.get("value")
    sign = "≤" if float(r.get("direction") or 1) < 0 else "≥"  # type: ignore[arg-type]
    if required is not None:
        return (
            f"今年剩余月份平均须{sign} {required:g} {unit}\nremaining months must average {sign} {required:g}"
        )
    if expected is not None and value is not None and r["status"] != "missed":
        gap = abs(float(value) - float(expected))  # type: ignore[arg-type]
        return f"序时应达 {expected:g}，差 {gap:.4g} {unit}\nexpected now {expected:g}, behind by {gap:.4g}"
    level = r.get("target_level")
    return (
        f"截止须{sign} {level:g} {unit}\nmust reach {sign} {level:g} by the deadline"
        if level is not None
        else "—"
    )


def _number(x: object) -> str:
    return "—" if x is None else f"{float(x):,.4g}"  # type: ignore[arg-type]


def city_pages(pdf: BriefingPDF, snap: snaps.Snapshot, found: changes.Diff | None) -> None:
    before = {str(c["target_id"]): c["status_before"] for c in (found.status_changes if found else [])}
    rank = {s: i for i, s in enumerate(WORST_FIRST)}
    for code, zh, en, as_of in _cities(snap.records):
        items = [r for r in snap.records if r["city_code"] == code and r["status"] in BEHIND]
        items.sort(key=lambda r: (rank[str(r["status"])], str(r["indicator"])))
        pdf.section = f"{zh} {en}"
        pdf.add_page()
        pdf.text_line(
            f"{zh} {en} · 截至 as of {as_of[:7]} · 滞后及以下 {len(items)} 项 / {len(items)} behind", 12, True
        )
        if not items:
            pdf.text_line("没有滞后、严重滞后或未完成的目标。 / Nothing lagging, off track or missed.", 10)
            continue
        pdf.set_font("cjk", "", 8)
        with pdf.table(col_widths=ITEM_WIDTHS, line_height=4.2, text_align="LEFT", headings_style=HEAD,
                       repeat_headings=1) as table:  # fmt: skip
            table.row(list(ITEM_HEADERS))
            for r in items:
                s = str(r["status"])
                row = table.row()
                was = before.get(str(r["target_id"]))
                label = f"{STATUS[s].zh} {STATUS[s].en}" + (
                    f" （原 {STATUS[str(was)].zh} was {STATUS[str(was)].en}）" if was else ""
                )
                style = FontFace(color=rgb(STATUS[s].text_colour), fill_color=rgb(STATUS[s].colour))
                row.cell(label, style=style)
                row.cell(f"{r['indicator_name']}\n{r['indicator_name_en']}")
                row.cell(f"{_number(r['value'])} / {_number(r['target_level'])} {r['unit']}")
                row.cell(str(r["deadline"]))
                row.cell("、".join(map(str, r["responsible"] or [])) or "—")  # type: ignore[call-overload]
                note = r.get("note")
                row.cell(f"{note}" + (f"（{r['note_by']}）" if note else "") if note else "—")
                row.cell(needed(r))


def build(snap: snaps.Snapshot, found: changes.Diff | None) -> BriefingPDF:
    pdf = BriefingPDF(snap.name)
    cover(pdf, snap)
    summary(pdf, snap, found)
    city_pages(pdf, snap, found)
    return pdf


def since_previous(path: Path | str, snap: snaps.Snapshot) -> changes.Diff | None:
    """The diff from the snapshot taken before `snap` (None when it is the first)."""
    earlier = snaps.previous(path, snap.name)
    if earlier is None:
        return None
    before = snaps.show(path, earlier)
    with db.connect(path, read_only=True) as con:
        revised = store.revised_values(con, before.basis.max_batch_id, snap.basis.max_batch_id)
    return changes.compare(before, snap, revised)


def pdf_bytes(path: Path | str, name: str) -> bytes:
    """The briefing book of snapshot `name` as PDF bytes (the page's download button)."""
    snap = snaps.show(path, name)
    pdf = build(snap, since_previous(path, snap))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        pdf.output(tmp.name)
        return Path(tmp.name).read_bytes()


def write(path: Path | str, name: str, out: Path | str) -> int:
    """Write the briefing book of snapshot `name` to `out`; returns its number of pages."""
    snap = snaps.show(path, name)
    pdf = build(snap, since_previous(path, snap))
    pdf.output(str(out))
    return int(pdf.page_no())
