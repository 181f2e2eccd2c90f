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
    columns: COLUMNS by default (the pages add the owner's note and the change since the last snapshot).
    The active targets come first; the closed ones (deadline passed, outcome final) follow apart under the
    heading 已到期 Closed (issue 12). large: meeting mode's type, for a projector. Where the table's box is
    narrower than its columns need (a laptop with the sidebar open, a phone), each row becomes a card of
    label: value lines, so that nothing is ever wider than its container."""
    size = "1.35rem" if large else ".9rem"
    cols = list(columns or COLUMNS)
    closed = (
        table["at_deadline"].astype(bool) if "at_deadline" in table else pd.Series(False, index=table.index)
    )
    tables = [_table(table[~closed], cols, lang)] if (~closed).any() or not closed.any() else []
    if closed.any():
        n = int(closed.sum())
        tables.append(
            f"<h4 class='closed'>{html.escape(CLOSED)} ({n})</h4>" + _table(table[closed], cols, lang)
        )
    narrow = 1100 if large else 900  # below this width of its box the table becomes cards
    style = (
        f"<style>.sc{{container-type:inline-size;max-width:100%}}"
        f".sc table{{width:100%;border-collapse:collapse;font-size:{size};table-layout:fixed}}"
        ".sc th{background:#eef3f9;text-align:left;padding:.35rem .3rem;overflow-wrap:break-word}"
        ".sc td{padding:.35rem .3rem;border-bottom:1px solid #dde3ea;vertical-align:top;"
        "overflow-wrap:break-word}.sc td.num{overflow-wrap:normal}"
        ".sc td.num small{white-space:normal;display:block}"
        ".sc h4.closed{margin:1.2rem 0 .4rem;color:#555}"
        f".sc td.why{{font-size:{'1.05rem' if large else '.8rem'};color:#333}}"
        f"@container (max-width:{narrow}px){{"
        ".sc table,.sc tbody,.sc tr,.sc td{display:block;width:auto !important}"
        ".sc colgroup,.sc tr.head{display:none}"
        ".sc tr{border:1px solid #dde3ea;border-radius:.4rem;margin:0 0 .6rem;padding:.2rem .2rem}"
        ".sc td{display:grid;grid-template-columns:minmax(5.5rem,30%) 1fr;gap:.5rem;border-bottom:0;"
        "padding:.15rem .4rem;white-space:normal !important}"
        ".sc td::before{content:attr(data-label);font-weight:600;color:#555}"
        ".sc td[style]::before{color:inherit}.sc td small{grid-column:2}.sc td br{display:none}}</style>"
    )
    return f"{style}<div class='sc'>{''.join(tables)}</div>"


def _table(table: pd.DataFrame, cols: list[str], lang: str) -> str:
    names = {c: html.escape(HEADERS[c][0 if lang == "zh" else 1]) for c in cols}
    head = "".join(f"<th>{names[c]}</th>" for c in cols)
    rows = []
    for row in table.itertuples(index=False):
        cells = []
        for c in cols:
            text = html.escape(cell_text(c, getattr(row, c, None)))
            if c == "status":
                code = row.status_code
                # a provisional evaluation: a dashed frame inside the colour, beside the word 暂定
                frame = (
                    ";outline:2px dashed #222;outline-offset:-5px"
                    if getattr(row, "provisional", False)
                    else ""
                )
                cells.append(
                    f"<td data-label='{names[c]}' style='background:#{STATUS[code].colour};"
                    f"color:#{STATUS[code].text_colour};"
                    f"font-weight:700{frame}'>{text}</td>"
                )
            elif c in ("why", "note"):
                cells.append(f"<td data-label='{names[c]}' class='why'>{text}</td>")
            elif c == "value" and getattr(row, "at_deadline", False):
                note = html.escape(AT_DEADLINE[0 if lang == "zh" else 1])
                text = text.replace(",", ",<wbr>")
                cells.append(f"<td data-label='{names[c]}' class='num'>{text}<br><small>{note}</small></td>")
            elif c in NUMERIC or c == "unit":  # never "µg/m" on one line and "³" on the next, nor "0./9/5":
                # a line may break only after a thousands comma or a unit's "/" (and at spaces)
                text = text.replace(",", ",<wbr>").replace("/", "/<wbr>")
                cells.append(f"<td data-label='{names[c]}' class='num'>{text}</td>")
            else:
                cells.append(f"<td data-label='{names[c]}'>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    widths = "".join(f"<col style='width:{SCREEN_WIDTHS[c]}%'>" for c in cols)
    return f"<table><colgroup>{widths}</colgroup><tr class='head'>{head}</tr>{''.join(rows)}</table>"
