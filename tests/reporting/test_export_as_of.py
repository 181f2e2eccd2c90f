"""An export without a date states each city's own as-of month (issue 16), never only "latest"."""

from __future__ import annotations

import subprocess

from indicators.reporting import export
from indicators.status import service as status


def test_the_scorecard_pdf_names_each_citys_as_of_month(demo_db, tmp_path):
    evaluated = status.status(demo_db, None, None, explain=False)
    out = tmp_path / "scorecard.pdf"
    out.write_bytes(export.export_bytes(evaluated, "pdf", "city", "红绿灯 Scorecard", None, "zh"))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    # the demo's latest months: Changde's plan is of 2017, the others run to 2020 (Nanchang a month less)
    assert "常德市 Changde · 截至 as of 2017-09" in text
    assert "灵武市 Lingwu · 截至 as of 2020-09" in text and "南昌市 Nanchang · 截至 as of 2020-08" in text
