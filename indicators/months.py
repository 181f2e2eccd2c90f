"""Month arithmetic, written once. A month is the integer `year * 12 + month - 1` (2020-03 is 24242).

Scalars take and give `datetime.date`; the `*_of_dates` forms take numpy datetime64 arrays, for the
vectorised engine and store.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np

_EPOCH = 1970 * 12  # numpy's datetime64[M] counts months from 1970-01


def index(year: int, month: int) -> int:
    """2020, 3 -> 24242."""
    return year * 12 + month - 1


def of(date: dt.date) -> int:
    return index(date.year, date.month)


def year(m: int) -> int:
    return int(m) // 12


def end(m: int) -> dt.date:
    """The last day of month m."""
    y, mon = divmod(int(m), 12)
    return dt.date(y, mon + 1, calendar.monthrange(y, mon + 1)[1])


def start(m: int) -> dt.date:
    y, mon = divmod(int(m), 12)
    return dt.date(y, mon + 1, 1)


def label(m: int) -> str:
    """'2020-03'."""
    y, mon = divmod(int(m), 12)
    return f"{y}-{mon + 1:02d}"


def days(m: int) -> int:
    y, mon = divmod(int(m), 12)
    return calendar.monthrange(y, mon + 1)[1]


def last_complete(date: dt.date) -> int:
    """The latest month whose last day is on or before `date`."""
    return of(date) if date == end(of(date)) else of(date) - 1


def december(y: int | np.ndarray) -> int | np.ndarray:
    """The month of December of year(s) y: where a calendar year's value is read."""
    return y * 12 + 11


def of_dates(dates: np.ndarray) -> np.ndarray:
    """datetime64 values -> months."""
    return dates.astype("datetime64[M]").astype(int) + _EPOCH


def last_complete_of_dates(dates: np.ndarray) -> np.ndarray:
    """Per datetime64[D] date, the latest month whose last day is on or before it."""
    m = of_dates(dates)
    next_month_first = (dates.astype("datetime64[M]") + 1).astype("datetime64[D]")
    return np.where(dates + 1 == next_month_first, m, m - 1)


def days_of(first: int, n: int) -> np.ndarray:
    """The number of days of each of n months from `first` on."""
    firsts = (np.arange(first, first + n + 1) - _EPOCH).astype("datetime64[M]").astype("datetime64[D]")
    return np.diff(firsts).astype(float)


def behind(earlier: dt.date, later: dt.date) -> int:
    """How many months `earlier`'s month is before `later`'s."""
    return of(later) - of(earlier)
