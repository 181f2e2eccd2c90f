"""Measure 1 (status of every target vs DuckDB GROUP BY) of this tree beside another checkout, in one run.

    .venv/bin/python benchmarks/status_versus.py OTHER_TREE [--cities 3000] [--repeat 3] [--rounds 2]

Each tree generates its own national database (its own schema, the same deterministic data) once under
--work, then runs in its own process: a warm-up, then `repeat` alternations of the reference query and the
status path, timed with process_time (CPU of all threads: the machine's other load counts less). The trees
take turns for `rounds` rounds. Prints the median seconds and the ratio (status ÷ reference) per tree and
round; the trees' ratios are what compare (issue 12: ratio 1 must not get worse than before the engine's
rewrite). Both trees run with this tree's interpreter, so they need compatible dependencies.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = """
import json, sys, time
from pathlib import Path
root, path, cities, repeat = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, str(root))
from benchmarks import national as nat
from benchmarks import national_data as nd
if not path.exists():
    nd.generate(path, nd.Size(cities, 50, 10))
nat.status_path(path)
mine, ref = [], []
for _ in range(repeat):
    t = time.process_time(); nat.reference_aggregate(path); ref.append(time.process_time() - t)
    t = time.process_time(); nat.status_path(path); mine.append(time.process_time() - t)
print(json.dumps({"status": mine, "reference": ref}))
"""


def run(tree: Path, db: Path, cities: int, repeat: int) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(tree), str(db), str(cities), str(repeat)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    times = json.loads(out.stdout.strip().splitlines()[-1])
    return statistics.median(times["status"]), statistics.median(times["reference"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("other", type=Path, help="the other checkout (e.g. a worktree of an older commit)")
    ap.add_argument("--cities", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    trees = {"other": args.other.resolve(), "this": ROOT}
    print("| round | tree | status (s) | reference (s) | ratio |")
    print("|---|---|---|---|---|")
    for r in range(1, args.rounds + 1):
        for name, tree in trees.items():
            db = args.work / f"versus_{name}_{args.cities}.duckdb"
            mine, ref = run(tree, db, args.cities, args.repeat)
            print(f"| {r} | {name} ({tree}) | {mine:.2f} | {ref:.2f} | {mine / ref:.2f}× |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
