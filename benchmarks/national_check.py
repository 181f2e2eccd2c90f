"""The benchmark's correctness check: the scorecard of the national evaluation agrees, cell by cell, with the
status path taken one city at a time through plain frames (store.measurements_frame, the route small
databases and the tests use), for every target of a sample of cities."""

from __future__ import annotations

import pandas as pd

from benchmarks.national_data import AS_OF
from indicators import store
from indicators.catalog import rules
from indicators.reporting import scorecard as report
from indicators.status import service as status
from indicators.store import db


def sample_cities(evaluated: pd.DataFrame, n: int = 25) -> list[str]:
    """n cities spread over the sorted city codes (deterministic), always including the first and last."""
    codes = sorted(evaluated["city"].unique())
    step = max(1, (len(codes) - 1) // max(n - 1, 1))
    picked = codes[::step][: n - 1] + [codes[-1]]
    return list(dict.fromkeys(picked))


def per_city(path: object, cities: list[str]) -> pd.DataFrame:
    """The status of every target of these cities, evaluated city by city from measurement frames."""
    the_rules = rules.load()
    parts = []
    with db.connect(str(path), read_only=True) as con:
        plans = store.plans_frame(con)
        for city in cities:
            targets = status.engine_targets(store.targets_frame(con, city), plans)
            frame = store.measurements_frame(con, city)
            parts.append(status.evaluate_frames(targets, frame, AS_OF, the_rules))
    return pd.concat(parts, ignore_index=True)


def agree(path: object, evaluated: pd.DataFrame, n: int = 25) -> list[str]:
    """Problems found (an empty list when the two agree) for the targets of a sample of n cities."""
    cities = sample_cities(evaluated, n)
    expected = per_city(path, cities).set_index("target_id")
    ids = list(expected.index)
    national = evaluated.set_index("target_id")
    missing = [i for i in ids if i not in national.index]
    if missing:
        return [f"{len(missing)} sampled targets missing from the national evaluation, e.g. {missing[0]}"]
    problems = []
    for lang in ("zh", "en"):
        a = report.scorecard(national.loc[ids].reset_index(), lang)
        b = report.scorecard(expected.loc[ids].reset_index(), lang)
        diff = (a != b) & ~(a.isna() & b.isna())
        for i in diff.index[diff.any(axis=1)][:3]:
            problems.append(f"{ids[i]} ({lang}): {a.loc[i].to_dict()} != {b.loc[i].to_dict()}")
    return problems
