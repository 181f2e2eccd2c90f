"""Extraction benchmark: the plan extractor over the five seed documents against the hand-reviewed catalog.

    .venv/bin/python benchmarks/extraction.py [--misses] [--extra]

A catalog target is *found* when a candidate from its document has the same value and a quote that overlaps
the target's clause (or holds it, or is held by it: a commitment restated elsewhere in the document). A
candidate is *correct* when it finds some target. recall = found / targets, precision = correct /
candidates. Per-field accuracy is over the found targets: comparator, unit, deadline, baseline (year and
value), responsible and cooperating units (as sets), indicator code. Seconds per document: read + extract.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indicators.catalog.load import Catalog, Target, load  # noqa: E402
from indicators.paths import PLANS_DIR  # noqa: E402
from indicators.plans.extract import Candidate, extract_text  # noqa: E402
from indicators.plans.read import read_path  # noqa: E402

FIELDS = ("comparator", "unit", "deadline", "baseline", "responsible", "cooperating", "indicator")


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(quote)
    while at >= 0:
        spans.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return spans


def _unit(unit: str) -> str:
    return {"": "dimensionless", "微克每立方米": "微克/立方米"}.get(unit, unit)


def _same_place(text: str, t: Target, c: Candidate) -> bool:
    if t.quote in c.quote or c.quote in t.quote:
        return True
    return any(s < c.end and c.start < e for s, e in _spans(text, t.quote))


def field_checks(t: Target, c: Candidate) -> dict[str, bool]:
    return {
        "comparator": c.comparator == t.comparator,
        "unit": _unit(c.unit) == _unit(t.unit),
        "deadline": c.deadline == t.deadline.isoformat(),
        "baseline": (c.baseline_year, c.baseline_value) == (t.baseline_year, t.baseline_value),
        "responsible": set(c.responsible) == set(t.responsible),
        "cooperating": set(c.cooperating) == set(t.cooperating),
        "indicator": c.indicator == t.indicator,
    }


def evaluate(catalog: Catalog, plans_dir: Path = PLANS_DIR) -> dict[str, object]:
    by_file: dict[str, list[Target]] = defaultdict(list)
    for t in catalog.targets:
        by_file[t.source_file].append(t)
    found: list[tuple[Target, Candidate]] = []
    misses: list[Target] = []
    extra: list[tuple[str, Candidate]] = []
    seconds: dict[str, float] = {}
    n_candidates = 0
    for name, targets in sorted(by_file.items()):
        started = time.perf_counter()
        text = read_path(plans_dir / name)
        candidates = extract_text(text, catalog.indicators)
        seconds[name] = time.perf_counter() - started
        n_candidates += len(candidates)
        correct: set[int] = set()
        for t in targets:
            hits = [
                (i, c)
                for i, c in enumerate(candidates)
                if abs(c.value - t.value) < 1e-9 and _same_place(text, t, c)
            ]
            if not hits:
                misses.append(t)
                continue
            hits.sort(key=lambda h: (h[1].indicator != t.indicator, h[1].comparator != t.comparator))
            found.append((t, hits[0][1]))
            correct.update(i for i, _ in hits)
        extra.extend((name, c) for i, c in enumerate(candidates) if i not in correct)
    n_targets = len(catalog.targets)
    accuracy = {f: sum(field_checks(t, c)[f] for t, c in found) / max(1, len(found)) for f in FIELDS}
    return {
        "targets": n_targets,
        "candidates": n_candidates,
        "recall": len(found) / n_targets,
        "precision": (n_candidates - len(extra)) / max(1, n_candidates),
        "accuracy": accuracy,
        "seconds": seconds,
        "misses": misses,
        "extra": extra,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the catalog targets not found")
    parser.add_argument("--extra", action="store_true", help="list the candidates that match no target")
    args = parser.parse_args(argv)
    r = evaluate(load())
    print(f"targets {r['targets']}, candidates {r['candidates']}")
    print(f"recall    {r['recall']:.1%}   (goal >= 90 %)")
    print(f"precision {r['precision']:.1%}   (goal >= 85 %)")
    for f, share in r["accuracy"].items():  # type: ignore[attr-defined]
        print(f"  {f:<12} {share:.1%}")
    for name, s in r["seconds"].items():  # type: ignore[attr-defined]
        print(f"  {name}: {s:.2f} s")
    if args.misses:
        for t in r["misses"]:  # type: ignore[attr-defined]
            print(f"MISS {t.source_file[:3]} {t.comparator} {t.value:g} {t.unit} | {t.quote}")
    if args.extra:
        for name, c in r["extra"]:  # type: ignore[attr-defined]
            print(f"EXTRA {name[:3]} {c.comparator} {c.value:g} {c.unit} | {c.quote}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
