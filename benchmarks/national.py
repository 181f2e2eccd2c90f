"""National-scale benchmark: every county of the country, measured against references run beside it.

    .venv/bin/python benchmarks/national.py [--cities 3000 --indicators 50 --years 10] [--quick]

Generates the dataset inside DuckDB (benchmarks/national_data.py), checks that the scorecard agrees with the
status path on a sample of targets, then prints one table of ratios (product ÷ reference, both measured in
this run) and the absolute times, which depend on the machine:
  1. status of every target as of a date  vs  DuckDB `GROUP BY city, indicator` over the same values
     (the evaluation the pages cache: the explanation sentences are built for the rows shown, so they are
     timed apart, for all targets, in the stages line);
  2. a 1,000,000-row long CSV with mixed units through validate → convert → commit  vs  DuckDB loading it;
  3. the overview, the scorecard and a city page with its charts in headless Chromium until visible  vs  a
     trivial Streamlit page;
  4. peak resident memory of the app server (and its children) while 3 runs.

With `--db postgresql://…` (a server where the benchmark may create and drop databases; the address's own
database is only connected to) the same dataset is moved into a PostgreSQL database of its own
(benchmarks/national_pg.py) and measures 1, 2 and 5 run there against PostgreSQL's own references: its
`GROUP BY city, indicator` over the same values, and its raw `COPY` of the same upload file (issue 18's
goals: both within 3×). The pages (3, 4) are measured on DuckDB only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import national_data as nd  # noqa: E402
from benchmarks import national_upload as nu  # noqa: E402
from benchmarks.national_check import agree  # noqa: E402
from indicators import store  # noqa: E402
from indicators.catalog import rules  # noqa: E402
from indicators.status import explain  # noqa: E402
from indicators.status import service as status  # noqa: E402
from indicators.store import db  # noqa: E402

# issue 17's goals: product ÷ reference, measured side by side in one run
GOALS = {
    "status": 3.0,
    "ingest": 2.0,
    "pages": 1.5,
    "first_visit": 1.5,
    "city": 2.0,
    "memory_gb": 1.0,
    "history": 3.0,
}
# issue 18's goals on PostgreSQL: product ÷ PostgreSQL's own reference
PG_GOALS = {"status": 3.0, "ingest": 3.0, "history": 3.0}
REFERENCE_SQL = (
    "SELECT city, indicator, count(*) AS n, avg(value) AS mean, max(period) AS latest FROM measurements "
    "WHERE period <= ? GROUP BY city, indicator"
)


def median_pair(product, reference, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median seconds of each, run alternately so that both see the same machine state."""
    mine, ref = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        reference()
        ref.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        product()
        mine.append(time.perf_counter() - t0)
    return statistics.median(mine), statistics.median(ref)


def reference_aggregate(path: Path | str) -> None:
    with db.connect(path, read_only=True) as con:
        con.execute(REFERENCE_SQL, [nd.AS_OF]).df()


def status_path(path: Path | str) -> None:
    """What measure 1 times: every target evaluated as of AS_OF, as the pages cache it (no sentences)."""
    status.status(path, None, nd.AS_OF, explain=False)


def status_stages(path: Path | str) -> dict[str, float]:
    """The status path once more, timed stage by stage (the calls status.status makes, here one after the
    other: it reads the values beside the targets), and then what measure 1 leaves out: the explanation
    sentences of every target."""
    out, t = {}, time.perf_counter()
    with db.connect(path, read_only=True) as con:
        targets = status.engine_targets(store.targets_frame(con), store.plans_frame(con))
        out["read targets"], t = time.perf_counter() - t, time.perf_counter()
        monthly = store.monthly_values(con)
        out["read values"], t = time.perf_counter() - t, time.perf_counter()
    evaluated = status.evaluate_frames(targets, monthly, nd.AS_OF, rules.load(), explain=False)
    out["evaluate"], t = time.perf_counter() - t, time.perf_counter()
    explain.add_explanations(evaluated)
    out[f"not in 1: sentences of all {len(evaluated):,} targets"] = time.perf_counter() - t
    return out


def ingest_stages(work: Path, national: Path, rows: int) -> dict[str, float]:
    """Write the upload file, then ingest it into a copy of the national database (it commits)."""
    csv_path, copy = work / "upload.csv", work / "ingest.duckdb"
    n = nu.write_csv(national, csv_path, rows)
    shutil.copy(national, copy)
    stages: dict[str, float] = {"rows": n, "bytes": csv_path.stat().st_size}
    stages["reference"] = nu.load_raw(csv_path, work / "raw.duckdb")
    stages.update(nu.ingest(copy, csv_path))
    copy.unlink()
    return stages


def row(name: str, mine: float, ref: float, goal: float, unit: str = "s") -> str:
    ratio = mine / ref
    met = "yes" if ratio <= goal else "**no**"
    return f"| {name} | {mine:.2f} {unit} | {ref:.2f} {unit} | {ratio:.1f}× | ≤ {goal:g}× | {met} |"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cities", type=int, default=3000)
    ap.add_argument("--indicators", type=int, default=50)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--ingest-rows", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="200 cities × 20 indicators × 3 years, 20,000 rows")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, default=ROOT / "var" / "bench", help="where the files go")
    ap.add_argument("--reuse", action="store_true", help="keep an existing generated database of this size")
    ap.add_argument("--no-browser", action="store_true", help="skip measures 3 and 4")
    ap.add_argument(
        "--db",
        help="measure on PostgreSQL: the address of a server database (postgresql://…); the benchmark "
        "creates and drops databases of its own there",
    )
    ap.add_argument("--no-history", action="store_true", help="skip measure 5")
    args = ap.parse_args(argv)
    if args.quick:
        args.cities, args.indicators, args.years, args.ingest_rows = 200, 20, 3, 20_000
    size = nd.Size(args.cities, args.indicators, args.years)
    args.work.mkdir(parents=True, exist_ok=True)
    path = args.work / f"national_{size.cities}x{size.indicators}x{size.years}.duckdb"
    duck_path = path
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    t0 = time.perf_counter()
    if args.reuse and path.exists():
        store.init(path)
        with db.connect(path, read_only=True) as con:
            counts = nd.counts(con)
        say(f"reusing {path.name}")
    else:
        counts = nd.generate(path, size)
        say(f"generated {path.name} in {time.perf_counter() - t0:.0f} s")
    say(
        f"{size.cities} cities × {size.indicators} indicators × {size.years} years: "
        f"{counts['measurements']:,} measurements, {counts['targets']:,} targets "
        f"({counts['targets'] - size.cities * size.indicators} of them the seed plans'), as of {nd.AS_OF}"
    )

    store_at: Path | str = path  # where the measures run: the DuckDB file, or its PostgreSQL copy
    if args.db:
        from benchmarks import national_pg as npg

        name = f"bench_national_{size.cities}x{size.indicators}x{size.years}"
        store_at = npg.database_url(args.db, name)
        if args.reuse and npg.exists(args.db, name) and npg.counts(str(store_at)) == counts:
            say(f"reusing PostgreSQL database {name}")
        else:
            t0 = time.perf_counter()
            npg.recreate(args.db, name)
            moved = npg.move(path, str(store_at))
            say(
                f"moved into PostgreSQL database {name} ({moved['measurements']:,} measurements, COPY) "
                f"in {time.perf_counter() - t0:.0f} s"
            )
        assert npg.counts(str(store_at)) == counts, "the PostgreSQL copy differs from the DuckDB file"
        with db.connect(store_at, read_only=True) as con:
            server = con.execute("SHOW server_version").fetchone()
        say(f"PostgreSQL {server[0] if server else '?'}; measures 1, 2 and 5 on PostgreSQL")
        args.no_browser = True
    goals = PG_GOALS if args.db else GOALS
    path = store_at  # type: ignore[assignment]

    evaluated = status.status(path, None, nd.AS_OF, explain=False)
    problems = agree(path, evaluated)
    say(f"check: scorecard vs per-city status path on a sample: {'agree' if not problems else problems}")

    mine, ref = median_pair(lambda: status_path(path), lambda: reference_aggregate(path), args.repeat)
    from benchmarks import history as hb

    hist = one = 0.0
    if not args.no_history:
        history_problems = hb.agree(path)
        say(
            "check: status history vs status path and engine: "
            + ("agree" if not history_problems else str(history_problems))
        )
        hist, one = median_pair(
            lambda: hb.history.status_history(path, None, nd.AS_OF, hb.MONTHS),
            lambda: status_path(path),
            args.repeat,
        )
    stages = status_stages(path)
    if args.db:
        ingest = npg.ingest_stages(args.db, name, duck_path, args.work, args.ingest_rows, args.repeat)
    else:
        ingest = ingest_stages(args.work, path, args.ingest_rows)
    pages = None
    if not args.no_browser:
        from benchmarks import national_pages as np_

        pages = np_.measure(path, repeat=args.repeat)
        page_problems = np_.page_agrees(pages, status.status(path, None, None, explain=False))
        say(f"check: scorecard page vs status path: {'agree' if not page_problems else page_problems}")

    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    say()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    say(
        f"{dt.date.today()} · {'PostgreSQL' if args.db else 'DuckDB'} · {os.cpu_count()} cores · "
        f"{mem_gb:.0f} GB memory · load average {load} (1, 5, 15 min) · absolute times are machine-dependent"
    )
    say()
    reference = "PostgreSQL reference" if args.db else "reference"
    say(f"| measure | Dabiao | {reference} | ratio | goal | met |")
    say("|---|---|---|---|---|---|")
    say(row("1 status of every target (as of a date; sentences on demand)", mine, ref, goals["status"]))
    say(
        row(
            f"2 ingest {int(ingest['rows']):,}-row long CSV",
            ingest["total"],
            ingest["reference"],
            goals["ingest"],
        )
    )
    if not args.no_history:
        name5 = f"5 status history, {hb.MONTHS} month ends (vs one as-of status)"
        say(row(name5, hist, one, goals["history"]))
    if pages is not None:
        trivial = pages.median(pages.trivial)
        say(row("3 open overview (cached evaluation)", pages.median(pages.overview), trivial, GOALS["pages"]))
        say(
            row(
                "3 open scorecard (cached evaluation)", pages.median(pages.scorecard), trivial, GOALS["pages"]
            )
        )
        say(
            row(
                "3 open overview, first visit after a server start",
                pages.overview_cold,
                trivial,
                GOALS["first_visit"],
            )
        )
        say(row("3 open city page with all its charts", pages.median(pages.city), trivial, GOALS["city"]))
        say(
            row(
                f"3 open city page with all its charts, a city with values ({np_.CITY_WITH_VALUES})",
                pages.median(pages.city_values),
                trivial,
                GOALS["city"],
            )
        )
        peak = pages.peak_rss / 1024**3
        met = "yes" if peak <= GOALS["memory_gb"] else "**no**"
        say(
            f"| 4 app server peak memory during 3 | {peak:.2f} GB | — | — "
            f"| ≤ {GOALS['memory_gb']} GB | {met} |"
        )
    say()
    say(
        "status stages (s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
        + " (the pages build the sentences of the rows they show: 200 a page, up to 5,000 in an export)"
    )
    say(
        f"ingest: {int(ingest['rows']):,} rows, {ingest['bytes'] / 1e6:.0f} MB; "
        f"preview (read, validate, convert, compare) {ingest['preview']:.1f} s, "
        f"commit {ingest['commit']:.1f} s; new {int(ingest['new']):,}, "
        f"rejected {int(ingest['rejected'])}; {'PostgreSQL raw COPY' if args.db else 'DuckDB raw load'} "
        f"{ingest['reference']:.2f} s"
        + (f" (medians of {int(ingest['runs'])} runs, alternately)" if "runs" in ingest else "")
    )
    if pages is not None:
        say(
            f"pages: trivial {pages.median(pages.trivial):.2f} s; server memory at start "
            f"{pages.idle_rss / 1024**3:.2f} GB, peak {pages.peak_rss / 1024**3:.2f} GB"
        )
    results = "national_results_postgresql.md" if args.db else "national_results.md"
    (args.work / results).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
