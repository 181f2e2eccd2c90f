"""Exports of the scorecard as files: PDF or XLSX bytes, and the `indicators export` command's writer."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import pandas as pd

from indicators.errors import InvalidRequest
from indicators.reporting import pdf, xlsx
from indicators.reporting import scorecard as report


def export_bytes(
    evaluated: pd.DataFrame,
    fmt: str,
    by: str | None,
    title: str,
    as_of: dt.date | None,
    lang: str = "zh",
    section: str = "",
) -> bytes:
    """The scorecard as PDF or XLSX bytes: one section per city (by='city') or lead department
    (by='department'), or (by=None) exactly the rows given as one section titled `section`, as a screen
    shows them."""
    if by is None:
        parts = [report.Section(section or title, report.scorecard(evaluated, lang))]
    else:
        parts = report.sections(evaluated, by, lang)
    parts = report.active_then_closed(parts)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        xlsx.write_xlsx(parts, buffer, title, lang)
        return buffer.getvalue()
    if by == "city" and as_of is None and len(evaluated):  # the PDF's page titles (sheet names stay short)
        parts = _with_as_of(parts, evaluated)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        pdf.write_pdf(parts, tmp.name, title, as_of, lang)
        return Path(tmp.name).read_bytes()


def _with_as_of(parts: list[report.Section], evaluated: pd.DataFrame) -> list[report.Section]:
    """City sections titled with the month each city is evaluated as of: an export without a date states
    every city's own month, never only "latest"."""
    months = (
        evaluated.assign(title=evaluated["city_zh"] + " " + evaluated["city_en"])
        .groupby("title")["as_of"]
        .max()
        .map(lambda d: f"{pd.Timestamp(d):%Y-%m}")
    )
    return [
        report.Section(f"{p.title} · 截至 as of {months[p.title]}" if p.title in months else p.title, p.table)
        for p in parts
    ]


def export_scorecard(
    path: Path | str,
    fmt: str,
    out: Path | str,
    city: str | None = None,
    department: str | None = None,
    as_of: dt.date | None = None,
    lang: str = "zh",
) -> int:
    """Write the scorecard (one section per city, or per department when one is named); returns the rows."""
    from indicators.meeting import notes
    from indicators.reporting import scorecard as report
    from indicators.status import service as status

    evaluated = status.status(path, city, as_of, explain=False)  # report builds the sentences it writes
    evaluated = notes.attach(evaluated, notes.latest(path))  # the owners' notes: a column of their own
    if department:
        evaluated = report.filter_evaluated(evaluated, department=department)
        if evaluated.empty:
            zh, en = f"没有该责任单位的目标：{department}", f"no targets for responsible unit: {department}"
            raise InvalidRequest(zh, en)
    # a department's export is its rows as one section under its name (as the scorecard page filtered
    # to it shows them), never split again by the lead units of those rows
    by = None if department else "city"
    title = "红绿灯 Scorecard"
    Path(out).write_bytes(export_bytes(evaluated, fmt, by, title, as_of, lang, department or ""))
    return len(evaluated)
