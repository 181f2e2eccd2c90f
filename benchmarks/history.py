"""Status history at national scale: 24 month ends of every target against one as-of evaluation.

    .venv/bin/python benchmarks/history.py [--cities 3000 --indicators 50 --years 10] [--quick] [--reuse]

Generates (or reuses) the national dataset of benchmarks/national.py, checks that the history's last month
agrees with the status path as of that date and that a sample of earlier months agrees with the engine
called on its own, then prints the median time of each and their ratio (goal: history within 3×).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import national_data as nd  # noqa: E402
from benchmarks.national import median_pair  # noqa: E402
from indicators import months as mo  # noqa: E402
from indicators import store  # noqa: E402
from indicators.catalog import rules  # noqa: E402
from indicators.meeting import history  # noqa: E402
from indicators.status import engine  # noqa: E402
from indicators.status import service as status  # noqa: E402
from indicators.store import db  # noqa: E402

GOAL = 3.0
MONTHS = 24


def agree(path: Path) -> list[str]:
    """Problems where the history differs from the status path (last month) or the engine (earlier ones)."""
    hist = history.status_history(path, None, nd.AS_OF, MONTHS)
    now = status.status(path, None, nd.AS_OF, explain=False).set_index("target_id")["status"]
    last = hist.set_index("target_id").iloc[:, -1]
    problems = [f"last month differs for {(last != now.reindex(last.index)).sum()} targets"] * bool(
        (last != now.reindex(last.index)).any()
    )
    with db.connect(path, read_only=True) as con:
        targets = status.engine_targets(store.targets_frame(con), store.plans_frame(con))
        monthly = store.monthly_values(con)
    columns = [c for c in hist.columns if not isinstance(c, str)]
    for when in (columns[0], columns[len(columns) // 2]):
        alone = engine.evaluate(targets, monthly, when.date(), rules.load())["status"].to_numpy()
        differ = int((hist[when].to_numpy() != alone).sum())
        if differ:
            problems.append(f"{when:%Y-%m}: {differ} targets differ from the engine")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cities", type=int, default=3000)
    ap.add_argument("--indicators", type=int, default=50)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--quick", action="store_true", help="200 cities × 20 indicators × 3 years")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    ap.add_argument("--reuse", action="store_true", help="keep an existing generated database of this size")
    args = ap.parse_args(argv)
    if args.quick:
        args.cities, args.indicators, args.years = 200, 20, 3
    size = nd.Size(args.cities, args.indicators, args.years)
    args.work.mkdir(parents=True, exist_ok=True)
    path = args.work / f"national_{size.cities}x{size.indicators}x{size.years}.duckdb"
    if not (args.reuse and path.exists()):
        nd.generate(path, size)
    store.init(path)
    with db.connect(path, read_only=True) as con:
        counts = nd.counts(con)
    print(f"{counts['measurements']:,} measurements, {counts['targets']:,} targets, as of {nd.AS_OF}")
    problems = agree(path)
    print(f"check: history vs status path and engine: {'agree' if not problems else problems}")
    first = mo.label(mo.of(nd.AS_OF) - MONTHS + 1)
    mine, ref = median_pair(
        lambda: history.status_history(path, None, nd.AS_OF, MONTHS),
        lambda: status.status(path, None, nd.AS_OF, explain=False),
        args.repeat,
    )
    ratio = mine / ref
    met = "yes" if ratio <= GOAL else "no"
    print("| measure | Dabiao | reference | ratio | goal | met |\n|---|---|---|---|---|---|")
    print(
        f"| status history, {MONTHS} month ends {first}…{nd.AS_OF:%Y-%m} vs one as-of status | "
        f"{mine:.2f} s | {ref:.2f} s | {ratio:.2f} | ≤ {GOAL:g} | {met} |"
    )
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
