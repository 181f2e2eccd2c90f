"""The evaluation matrix at chosen months (series.evaluation_at) and the series lookup, on hand-made rows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from indicators.status import series

NAN = float("nan")
JAN_2021 = 2021 * 12


def _raw() -> np.ndarray:
    """14 months from January 2021, one row per aggregation (worked out by hand in the tests below)."""
    raw = np.full((6, 14), NAN)
    raw[0] = np.arange(1, 15)  # annual_amount: 1, 2, …, 14
    raw[1, 2], raw[1, 7] = 5.0, 8.0  # level: reported in March and August only
    raw[2, 0], raw[2, 3], raw[2, 10] = 1.0, 2.0, 4.0  # cumulative_count: increments
    raw[3, :6] = [10.0, 20.0, 30.0, 30.0, 30.0, 30.0]  # annual_mean: January to June
    raw[4] = 1.0  # no target reads it (kind None): not computed
    raw[5] = 1.0  # an unknown kind
    return raw


KINDS = np.array(["annual_amount", "level", "cumulative_count", "annual_mean", None, "foo"], dtype=object)


def _at(cols: list[int]) -> np.ndarray:
    return series.evaluation_at(_raw(), KINDS, JAN_2021, np.array(cols), min_months=6)


def test_annual_amount_is_the_12_month_sum_annualised_when_months_are_missing():
    # col 11: 1 + … + 12 = 78; col 13: 3 + … + 14 = 102; col 5: (1 + … + 6) · 12 / 6 = 42;
    # col 4: 5 months < 6 -> none; col 16 (past the end): months 5..13 hold 6 + … + 14 = 90, 90 · 12 / 9 = 120
    got = _at([4, 5, 11, 13, 16, -1])[0]
    assert got[1:5].tolist() == [42.0, 78.0, 102.0, 120.0]
    assert math.isnan(got[0]) and math.isnan(got[5])


def test_level_is_the_latest_value_reported_so_far():
    got = _at([-1, 1, 2, 6, 7, 20])[1]
    assert math.isnan(got[0]) and math.isnan(got[1])
    assert got[2:].tolist() == [5.0, 5.0, 8.0, 8.0]


def test_cumulative_count_is_the_running_total_zero_before_any_month():
    assert _at([-1, 0, 5, 13, 20])[2].tolist() == [0.0, 1.0, 3.0, 7.0, 7.0]


def test_annual_mean_is_day_weighted():
    # January to June 2021: (10·31 + 20·28 + 30·(31 + 30 + 31 + 30)) / 181 days = 4530 / 181
    assert _at([5])[3, 0] == pytest.approx(4530 / 181)


def test_rows_of_no_or_an_unknown_kind_are_left_empty():
    assert np.isnan(_at([5, 11])[4:]).all()


def test_the_whole_matrix_is_the_same_numbers_column_by_column():
    raw, cols = _raw(), np.arange(14)
    whole = series.evaluation(raw, KINDS, JAN_2021, 6)
    np.testing.assert_array_equal(whole, series.evaluation_at(raw, KINDS, JAN_2021, cols, 6))
    np.testing.assert_array_equal(whole[:, [3, 9]], series.evaluation_at(raw, KINDS, JAN_2021, [3, 9], 6))


def test_rows_of_finds_each_pair_and_marks_the_missing():
    keys = pd.MultiIndex.from_tuples([("a", "x"), ("a", "y"), ("b", "x")], names=["city", "indicator"])
    monthly = series.Monthly.empty(keys, JAN_2021, JAN_2021)
    rows = monthly.rows_of(pd.Series(["b", "a", "c", "a"]), pd.Series(["x", "y", "x", "z"]))
    assert rows.tolist() == [2, 1, -1, -1]


def test_put_writes_by_row_and_month_and_skips_unwanted_rows():
    keys = pd.MultiIndex.from_tuples([("a", "x"), ("b", "x")], names=["city", "indicator"])
    monthly = series.Monthly.empty(keys, JAN_2021, JAN_2021 + 2)
    monthly.put(
        np.array([1, -1, 0]), np.array([JAN_2021 + 2, JAN_2021, JAN_2021 + 1]), np.array([7.0, 8.0, 9.0])
    )
    np.testing.assert_array_equal(monthly.raw, [[NAN, 9.0, NAN], [NAN, NAN, 7.0]])
    assert monthly.first_month == JAN_2021 + 1
