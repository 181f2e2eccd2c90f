"""Scorecards (红绿灯): the table leaders read, its sections (per city or department) and filters. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd

from indicators.reporting import numbers
from indicators.reporting.style import COLUMNS, HEADERS, NUMERIC, cell_text, headers  # noqa: F401 (re-exported)
from indicators.status import explain
from indicators.status.rollup import is_department
from indicators.vocabulary import STATUSES, WORST_FIRST, status_label

# closed targets (the deadline passed: the outcome is final) stand apart, after the active ones (issue 12)
CLOSED = "已到期 Closed"
# a provisional evaluation (too few months with enough valid days: status/sufficiency.py) is marked beside
# its status, on screen and on paper
PROVISIONAL = {"zh": "（暂定）", "en": " (provisional)"}


@dataclass(frozen=True)
class Section:
    title: str
    table: pd.DataFrame  # COLUMNS, plus the status code in "status_code"


def scorecard(evaluated: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per target: value, target, expected and gap as numbers (gap > 0: better than the target),
    status, owner and the explanation as text (built here for these rows when `evaluated` has none)."""
    zh = lang == "zh"
    codes = evaluated["indicator"] if "indicator" in evaluated else pd.Series("", index=evaluated.index)
    places = [numbers.decimals(c) for c in codes]

    def rounded(values: pd.Series) -> list[float]:
        return [numbers.round_half_up(v, d) for v, d in zip(values.astype(float), places, strict=True)]

    value, target = rounded(evaluated["value"]), rounded(evaluated["target_level"])
    # the gap of the numbers shown, so that value − target on paper is the gap printed beside them
    gap = [
        numbers.round_half_up(d * (v - t), p)
        for d, v, t, p in zip(evaluated["direction"], value, target, places, strict=True)
    ]
    reached = evaluated["deadline_reached"] if "deadline_reached" in evaluated else False
    provisional = _flags(evaluated, "provisional")
    mark = PROVISIONAL["zh" if zh else "en"]
    status = [
        status_label(code, lang) + (mark if p else "")
        for code, p in zip(evaluated["status"], provisional, strict=True)
    ]
    return pd.DataFrame(
        {
            "city": evaluated["city_zh"] if zh else evaluated["city_en"],
            "indicator": evaluated["indicator_zh"] if zh else evaluated["indicator_en"],
            "value": value,
            "target": target,
            "unit": evaluated["canonical_unit"].map(lambda u: numbers.unit_label(u, lang)),
            "deadline": pd.to_datetime(evaluated["deadline"]).dt.strftime("%Y-%m-%d"),
            "expected": rounded(evaluated["expected"]),
            "gap": gap,
            "status": status,
            "owner": evaluated["responsible"].map(lambda r: "、".join(r) or "—"),
            "why": explain.explanations(evaluated, lang),
            "note": _notes(evaluated),
            "change": evaluated["change"] if "change" in evaluated else "—",
            "status_code": evaluated["status"],
            # the month the row is evaluated as of, and whether its value is the one at the deadline
            "as_of_month": pd.to_datetime(evaluated["as_of"]).dt.strftime("%Y-%m")
            if "as_of" in evaluated
            else None,
            "at_deadline": pd.Series(reached, index=evaluated.index).astype(bool),
            "provisional": provisional,
        }
    ).reset_index(drop=True)


def _flags(evaluated: pd.DataFrame, column: str) -> list[bool]:
    """A true/false column of the rows (False where the rows carry none, e.g. an older snapshot's)."""
    if column not in evaluated:
        return [False] * len(evaluated)
    return [v is True or (not pd.isna(v) and bool(v)) for v in evaluated[column].astype(object)]


def active_then_closed(parts: list[Section]) -> list[Section]:
    """Every section's active targets first, then, apart, the closed ones (issue 12): one section each,
    titled 已到期 Closed, after all the active sections."""
    active = [Section(p.title, _rows(p.table, False)) for p in parts]
    closed = [Section(f"{CLOSED} · {p.title}", _rows(p.table, True)) for p in parts]
    kept = [p for p in active if len(p.table)] + [p for p in closed if len(p.table)]
    return kept or parts


def _rows(table: pd.DataFrame, closed: bool) -> pd.DataFrame:
    return table[table["at_deadline"].astype(bool) == closed].reset_index(drop=True)


def worst_first(evaluated: pd.DataFrame) -> pd.DataFrame:
    """The rows worst first — missed, off track, lagging, then the rest (vocabulary.WORST_FIRST) — each
    status's rows in the order given: the scorecard's default order, exceptions first."""
    return evaluated.iloc[_worst_first_order(evaluated["status"])]


def _worst_first_order(status: pd.Series) -> np.ndarray:
    rank = {s: i for i, s in enumerate(WORST_FIRST)}
    return np.argsort(status.map(rank).fillna(len(rank)).to_numpy(), kind="stable")


@dataclass(frozen=True)
class Screen:
    """The rows a scorecard screen is filtered to, without copying them (150,000 at national scale): their
    positions in the evaluated frame, worst first (`rows` takes them), their count per status and the
    months they are evaluated as of."""

    order: np.ndarray
    counts: dict[str, int]  # per status code of vocabulary.STATUSES, those present
    months: tuple[str, ...]  # "YYYY-MM", sorted

    def __len__(self) -> int:
        return len(self.order)

    def rows(self, evaluated: pd.DataFrame, start: int = 0, stop: int | None = None) -> pd.DataFrame:
        """The screen's rows start:stop of `evaluated` (the frame it was computed from), worst first:
        worst_first(filter_evaluated(evaluated, …)).iloc[start:stop]."""
        return evaluated.iloc[self.order[start:stop]]


def screen(
    evaluated: pd.DataFrame,
    cities: list[str] | None = None,
    domains: list[str] | None = None,
    department: str | None = None,
    statuses: list[str] | None = None,
) -> Screen:
    """The screen of `filter_evaluated`'s rows in `worst_first`'s order."""
    keep = _kept(evaluated, cities, domains, department, statuses).to_numpy()
    status = evaluated["status"][keep]  # only the columns read: the rows are never copied
    order = np.flatnonzero(keep)[_worst_first_order(status)]
    found = status.value_counts()
    counts = {s: int(found[s]) for s in STATUSES if found.get(s, 0)}
    months: tuple[str, ...] = ()
    if "as_of" in evaluated and keep.any():
        days = pd.to_datetime(pd.Series(evaluated["as_of"][keep].drop_duplicates().to_numpy())).dropna()
        months = tuple(sorted(set(days.dt.strftime("%Y-%m"))))
    return Screen(order, counts, months)


def _notes(evaluated: pd.DataFrame) -> pd.Series:
    """The owner's note of each row (meeting/notes.py), '—' without one (or when the rows carry none)."""
    if "note" not in evaluated:
        return pd.Series("—", index=evaluated.index)
    return evaluated["note"].astype(object).where(evaluated["note"].notna(), "—")


def sections(evaluated: pd.DataFrame, by: str, lang: str) -> list[Section]:
    """One section per city (by='city') or per lead department (by='department')."""
    return [Section(title, scorecard(worst_first(g), lang)) for title, g in section_frames(evaluated, by)]


def section_frames(evaluated: pd.DataFrame, by: str) -> list[tuple[str, pd.DataFrame]]:
    """(title, evaluated rows) per section, without building the tables: meeting mode shows one screen."""
    if by == "department":
        exploded = evaluated.assign(dept=evaluated["responsible"].map(list)).explode("dept")
        exploded = exploded[exploded["dept"].map(lambda d: isinstance(d, str) and is_department(d))]
        return [(str(dept), group) for dept, group in exploded.groupby("dept", sort=True)]
    return [
        (f"{zh} {en}", group) for (zh, en), group in evaluated.groupby(["city_zh", "city_en"], sort=False)
    ]


def departments(evaluated: pd.DataFrame) -> list[str]:
    """Every responsible unit named, lead or cooperating, sorted."""
    names = set(chain.from_iterable(evaluated["responsible"])) | set(
        chain.from_iterable(evaluated["cooperating"])
    )
    return sorted(str(n) for n in names if isinstance(n, str) and is_department(n))


def filter_evaluated(
    evaluated: pd.DataFrame,
    cities: list[str] | None = None,
    domains: list[str] | None = None,
    department: str | None = None,
    statuses: list[str] | None = None,
) -> pd.DataFrame:
    """Targets by city codes, domains, a responsible unit (lead or cooperating) and statuses."""
    return evaluated[_kept(evaluated, cities, domains, department, statuses)]


def _kept(
    evaluated: pd.DataFrame,
    cities: list[str] | None,
    domains: list[str] | None,
    department: str | None,
    statuses: list[str] | None,
) -> pd.Series:
    keep = pd.Series(True, index=evaluated.index)
    if cities:
        keep &= evaluated["city"].isin(cities)
    if domains:
        keep &= evaluated["domain"].isin(domains)
    if department:
        keep &= evaluated["responsible"].map(lambda r: department in list(r)) | evaluated["cooperating"].map(
            lambda r: department in list(r)
        )
    if statuses:
        keep &= evaluated["status"].isin(statuses)
    return keep
