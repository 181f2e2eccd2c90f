"""The scorecard as an HTML table for the pages: status cells coloured, every text escaped."""

from __future__ import annotations

import html

import pandas as pd

from indicators.reporting.scorecard import CLOSED
from indicators.reporting.style import COLUMNS, HEADERS, NUMERIC, SCREEN_WIDTHS, cell_text
from indicators.vocabulary import STATUS

# a closed target's value is the one at its deadline (its outcome is final), not the latest month's
AT_DEADLINE = ("截止时的值", "value at the deadline")


def scorecard_html(
    table: pd.DataFrame, lang: str = "zh", large: bool = False, columns: list[str] | None = None
) -> str:
    """The scorecard as an HTML table: status cells coloured, with symbol and word; all text escaped.
    columns: COLUMNS by default (the pages add the owner's note). The active targets come first; the closed
    ones (deadline passed, outcome final) follow apart under the heading 已到期 Closed (issue 12)."""
    size = "1.35rem" if large else ".9rem"
    cols = [c for c in columns or COLUMNS if not (large and c in ("deadline", "expected", "unit"))]
    closed = (
        table["at_deadline"].astype(bool) if "at_deadline" in table else pd.Series(False, index=table.index)
    )
    tables = [_table(table[~closed], cols, lang)] if (~closed).any() or not closed.any() else []
    if closed.any():
        n = int(closed.sum())
        tables.append(
            f"<h4 class='closed'>{html.escape(CLOSED)} ({n})</h4>" + _table(table[closed], cols, lang)
        )
    style = (
        f"<style>.sc table{{width:100%;border-collapse:collapse;font-size:{size};table-layout:fixed}}"
        ".sc th{background:#eef3f9;text-align:left;padding:.35rem .4rem}"
        ".sc td{padding:.35rem .4rem;border-bottom:1px solid #dde3ea;vertical-align:top;"
        "overflow-wrap:break-word}.sc td.num{white-space:nowrap;overflow-wrap:normal}"
        ".sc{overflow-x:auto;max-width:100%}.sc table{min-width:" + ("1100px" if large else "780px") + "}"
        ".sc h4.closed{margin:1.2rem 0 .4rem;color:#555}"
        f".sc td.why{{font-size:{'1.05rem' if large else '.8rem'};color:#333}}</style>"
    )
    return f"{style}<div class='sc'>{''.join(tables)}</div>"


def _table(table: pd.DataFrame, cols: list[str], lang: str) -> str:
    head = "".join(f"<th>{html.escape(HEADERS[c][0 if lang == 'zh' else 1])}</th>" for c in cols)
    rows = []
    for row in table.itertuples(index=False):
        cells = []
        for c in cols:
            text = html.escape(cell_text(c, getattr(row, c)))
            if c == "status":
                code = row.status_code
                # a provisional evaluation: a dashed frame inside the colour, beside the word 暂定
                frame = (
                    ";outline:2px dashed #222;outline-offset:-5px"
                    if getattr(row, "provisional", False)
                    else ""
                )
                cells.append(
                    f"<td style='background:#{STATUS[code].colour};color:#{STATUS[code].text_colour};"
                    f"font-weight:700{frame}'>{text}</td>"
                )
            elif c in ("why", "note"):
                cells.append(f"<td class='why'>{text}</td>")
            elif c == "value" and getattr(row, "at_deadline", False):
                note = html.escape(AT_DEADLINE[0 if lang == "zh" else 1])
                cells.append(f"<td class='num'>{text}<br><small>{note}</small></td>")
            elif c in NUMERIC or c == "unit":  # never "µg/m" on one line and "³" on the next
                cells.append(f"<td class='num'>{text}</td>")
            else:
                cells.append(f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    widths = "".join(f"<col style='width:{SCREEN_WIDTHS[c]}%'>" for c in cols)
    return f"<table><colgroup>{widths}</colgroup><tr>{head}</tr>{''.join(rows)}</table>"
