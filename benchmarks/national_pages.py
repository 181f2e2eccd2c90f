"""Benchmarks 3 and 4: the overview and the scorecard in headless Chromium, and the server's peak memory.

The app is served exactly as the browser tests serve it (tests/browser.py: `streamlit run app.py` on a free
port, Debian's Chromium through Playwright); the reference is a trivial page served the same way. A page
counts as open when its last element is visible: the freshness section of the overview, the table of the
scorecard, the last line of the trivial page. The first overview is opened on a fresh server (its
lifespan has evaluated every target before it answered), the later ones find the evaluation cached, as every
visitor after the first does. The city page (the first city, its first domain) counts as open when its gap
table is visible and every one of its charts is drawn. The first city is a seed city without values (no
target chart): the page of the first generated city (its first domain, every target with values) is measured
beside it, the same way.
While the app is served, a thread samples the resident memory of the server and its children.
"""

from __future__ import annotations

import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium, serve  # noqa: E402

from indicators import vocabulary  # noqa: E402
from indicators.reporting import html as report_html  # noqa: E402
from indicators.reporting import scorecard as report  # noqa: E402

VIEWPORT = {"width": 1400, "height": 1000}
READY = {
    "trivial": "text=trivial-page-done",
    "overview": "text=数据更新情况",
    "scorecard": ".sc table",
    "city": ".sc table",  # the gap table, the city page's last element; its charts are waited for apart
}
# every chart of the page drawn (Plotly puts its SVG in each chart's box). A chart's box appears only once
# the browser has loaded Plotly, so the city page's charts are also found by their keys (stacked_<city>,
# chart_<target>: Streamlit names a keyed element's container st-key-<key>), which are there from the start
CHARTS_DRAWN = (
    "() => { const c = document.querySelectorAll('[data-testid=stPlotlyChart],"
    ' [class*="st-key-chart_"], [class*="st-key-stacked_"]\');'
    " return c.length > 0 && [...c].every(e => e.querySelector('.main-svg')); }"
)
TIMEOUT_MS = 900_000
PAGE_ROWS = 200  # the scorecard page's rows a page (pages/scorecard.py)
# the first generated city (benchmarks/national_data.py city_code(1)), by its address (pages/state.py)
CITY_WITH_VALUES = "n0001"


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        m = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        total += int(m[1]) * 1024 if m else 0
        todo += _children(p)
    return total


class PeakMemory(threading.Thread):
    """Samples a process tree's resident memory every 50 ms until stopped; `peak` in bytes."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self._halt = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            self._halt.wait(0.05)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


def open_page(  # type: ignore[no-untyped-def]
    browser, url: str, ready: str, charts: bool = False
) -> tuple[float, str]:
    """Seconds from navigation until `ready` is visible (and, with `charts`, every chart drawn) on a fresh
    page (a new session); the page text."""
    page = browser.new_page(viewport=VIEWPORT)
    try:
        t0 = time.perf_counter()
        page.goto(url)
        page.locator(ready).first.wait_for(state="visible", timeout=TIMEOUT_MS)
        if charts:
            page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
        seconds = time.perf_counter() - t0
        return seconds, page.inner_text("body")
    finally:
        page.close()


@dataclass
class PageResults:
    trivial: list[float] = field(default_factory=list)
    overview_cold: float = 0.0
    overview: list[float] = field(default_factory=list)
    scorecard: list[float] = field(default_factory=list)
    city: list[float] = field(default_factory=list)
    city_values: list[float] = field(default_factory=list)
    charts: int = 0
    idle_rss: int = 0
    peak_rss: int = 0
    scorecard_text: str = ""
    table_rows: list[list[str]] = field(default_factory=list)

    @staticmethod
    def median(xs: list[float]) -> float:
        return statistics.median(xs)


def measure(db: Path, repeat: int = 5) -> PageResults:
    r = PageResults()
    with chromium() as browser:
        with serve(db, script="benchmarks/trivial_page.py") as (url, _):
            open_page(browser, url, READY["trivial"])  # the browser's own first start
            r.trivial = [open_page(browser, url, READY["trivial"])[0] for _ in range(repeat)]
        with serve(db, timeout=300) as (url, proc):
            time.sleep(1.0)
            r.idle_rss = tree_rss_bytes(proc.pid)
            sampler = PeakMemory(proc.pid)
            sampler.start()
            try:
                r.overview_cold = open_page(browser, f"{url}/overview", READY["overview"])[0]
                for _ in range(repeat):
                    r.overview.append(open_page(browser, f"{url}/overview", READY["overview"])[0])
                    seconds, text = open_page(browser, f"{url}/scorecard", READY["scorecard"])
                    r.scorecard.append(seconds)
                    r.city.append(open_page(browser, f"{url}/city", READY["city"], charts=True)[0])
                    values_url = f"{url}/city?city={CITY_WITH_VALUES}"
                    r.city_values.append(open_page(browser, values_url, READY["city"], charts=True)[0])
                r.scorecard_text = text
                r.table_rows = _first_table_rows(browser, f"{url}/scorecard")
            finally:
                r.peak_rss = sampler.stop()
    return r


def _first_table_rows(browser, url: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(url)
        page.locator(READY["scorecard"]).first.wait_for(state="visible", timeout=TIMEOUT_MS)
        rows = page.locator(".sc table tr").all_inner_texts()
        return [r.split("\t") for r in rows[1:]]
    finally:
        page.close()


def page_agrees(results: PageResults, evaluated: pd.DataFrame) -> list[str]:
    """Problems (none when they agree) between the scorecard page and the status path: the count per
    status in the page's summary, and every cell of the page's first table (the scorecard's order: worst
    first, the active targets before the closed ones)."""
    problems = []
    counts = evaluated["status"].value_counts()
    for code in vocabulary.STATUSES:
        word = vocabulary.status_label(code, "zh")
        m = re.search(re.escape(word) + r"\s+(\d+)", results.scorecard_text)
        shown = int(m[1]) if m else 0
        if shown != int(counts.get(code, 0)):
            problems.append(f"summary {code}: page {shown}, status path {int(counts.get(code, 0))}")
    # the page's first table: of its first PAGE_ROWS rows worst first, the active targets (the closed ones
    # follow apart; when every one is closed, the closed ones)
    first = report.scorecard(report.worst_first(evaluated).head(PAGE_ROWS), "zh")
    active = first[~first["at_deadline"]]
    table = (active if len(active) else first).head(len(results.table_rows))
    for i, (cells, row) in enumerate(zip(results.table_rows, table.itertuples(index=False), strict=False)):
        expected = [report.cell_text(c, getattr(row, c)) for c in report.COLUMNS]
        if getattr(row, "at_deadline", False):  # the page notes that a closed target's value is final
            at = report.COLUMNS.index("value")
            expected[at] += "\n" + report_html.AT_DEADLINE[0]
        shown = cells[: len(report.COLUMNS)]  # then the owner's note, which the status path has not
        if [" ".join(c.split()) for c in shown] != [" ".join(e.split()) for e in expected]:
            problems.append(f"table row {i + 1}: page {cells} != status path {expected}")
            break
    if not results.table_rows:
        problems.append("the scorecard page showed no table rows")
    return problems
