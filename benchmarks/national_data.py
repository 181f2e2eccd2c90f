"""The national dataset, generated inside DuckDB through the product's real schema. Deterministic.

`generate(path, size)` runs the real migrations and loads the real catalog (store.init), then adds
`size.cities` generated county-level cities, one plan each, one target per (city, indicator) for the first
`size.indicators` catalog indicators (chosen round-robin over aggregations, so every kind is evaluated), and
one monthly value per (city, indicator, month) for `size.years` years ending in December of END_YEAR —
all with INSERT … SELECT over range(), values from DuckDB's hash() (stable for a pinned DuckDB version).
No row passes through Python. The five seed cities keep their targets and have no measurements.

Each series follows a model (level × yearly drift × season × noise); each target is set near the model's
value at its deadline with a random ambition, so every status occurs. Deadlines: 2023 (passed), 2025 (the
last data month), 2027 (ahead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from indicators import store
from indicators.catalog import load as cat
from indicators.store import db

END_YEAR = 2025
AS_OF = dt.date(END_YEAR, 12, 31)  # the last day of the last generated month
PLAN_FIRST, PLAN_LAST = END_YEAR - 4, END_YEAR + 2
DEADLINES = (END_YEAR - 2, END_YEAR, END_YEAR + 2)
DEPARTMENTS = [
    "生态环境局", "发展改革局", "工业和信息化局", "住房城乡建设局", "交通运输局", "农业农村局",
    "水利局", "自然资源局", "林业局", "城市管理局", "财政局", "公安局",
]  # fmt: skip
PROVINCES = [
    ("河北省", "Hebei"), ("山西省", "Shanxi"), ("辽宁省", "Liaoning"), ("吉林省", "Jilin"),
    ("黑龙江省", "Heilongjiang"), ("江苏省", "Jiangsu"), ("浙江省", "Zhejiang"), ("安徽省", "Anhui"),
    ("福建省", "Fujian"), ("江西省", "Jiangxi"), ("山东省", "Shandong"), ("河南省", "Henan"),
    ("湖北省", "Hubei"), ("湖南省", "Hunan"), ("广东省", "Guangdong"), ("海南省", "Hainan"),
    ("四川省", "Sichuan"), ("贵州省", "Guizhou"), ("云南省", "Yunnan"), ("陕西省", "Shaanxi"),
    ("甘肃省", "Gansu"), ("青海省", "Qinghai"), ("内蒙古自治区", "Inner Mongolia"),
    ("广西壮族自治区", "Guangxi"), ("西藏自治区", "Tibet"), ("宁夏回族自治区", "Ningxia"),
    ("新疆维吾尔自治区", "Xinjiang"),
]  # fmt: skip


@dataclass(frozen=True)
class Size:
    cities: int = 3000
    indicators: int = 50
    years: int = 10

    @property
    def months(self) -> int:
        return 12 * self.years

    @property
    def first_year(self) -> int:
        return END_YEAR - self.years + 1


def city_code(i: int) -> str:
    return f"n{i:04d}"


def pick_indicators(catalog: cat.Catalog, n: int) -> list[cat.Indicator]:
    """The first n catalog indicators taken round-robin over aggregations (by code within each)."""
    groups: dict[str, list[cat.Indicator]] = {}
    for ind in sorted(catalog.indicators, key=lambda i: i.code):
        groups.setdefault(ind.aggregation, []).append(ind)
    if n > len(catalog.indicators):
        raise ValueError(f"the catalog has {len(catalog.indicators)} indicators; asked for {n}")
    picked: list[cat.Indicator] = []
    while len(picked) < n:
        for kind in sorted(groups):
            if groups[kind] and len(picked) < n:
                picked.append(groups[kind].pop(0))
    return picked


# u(k): a uniform number in [0, 1) from the hash of the series (i, j) and a salt k.
_U = "((hash(i, j, {k}) % 1000003) / 1000003.0)"

# The model of each series: base level b, yearly drift r (relative) or s (percentage points), monthly rate
# for counts; from them the model value at a month t (months since the first generated month).
_SERIES_SQL = f"""
CREATE TEMP TABLE bench_series AS
SELECT i, j, c.code AS city, printf('样例县%04d', i) AS city_zh, n.code AS indicator, n.name_zh,
       n.aggregation, n.polarity, n.unit, n.valid_min, n.valid_max,
       n.unit = 'percent' AS pct, n.unit = 'day' AS days,
       CASE WHEN n.unit = 'percent' THEN 55 + 40 * {_U.format(k=1)}
            WHEN n.unit = 'day' AND n.polarity = 'higher' THEN 0.55 + 0.4 * {_U.format(k=1)}
            WHEN n.unit = 'day' THEN 0.01 + 0.08 * {_U.format(k=1)}
            WHEN n.aggregation = 'annual_mean' THEN 25 + 50 * {_U.format(k=1)}
            ELSE pow(10, 1 + 3 * {_U.format(k=1)}) END AS b,
       CASE WHEN n.polarity = 'higher' THEN -0.03 + 0.09 * {_U.format(k=2)}
            ELSE -0.07 + 0.08 * {_U.format(k=2)} END AS r,
       (CASE WHEN n.polarity = 'higher' THEN -0.6 + 2.4 * {_U.format(k=2)}
             ELSE -1.5 + 1.8 * {_U.format(k=2)} END) / 12 AS s,
       0.2 + 4 * {_U.format(k=3)} AS rate,
       -0.08 + 0.16 * {_U.format(k=4)} AS ambition,
       {_U.format(k=5)} AS pick,
       [{", ".join(str(y) for y in DEADLINES)}][1 + (hash(i, j, 6) % {len(DEADLINES)})::INTEGER]
           AS deadline_year
FROM bench_cities c CROSS JOIN bench_indicators n
"""

_TARGETS_SQL = """
INSERT INTO targets
SELECT printf('%s-%s', city, indicator), city, indicator, comparator, value,
       CASE WHEN comparator IN ('reduce_by', 'yoy_reduce_by', 'growth_le') OR pct THEN '%' ELSE unit END,
       value, make_date(deadline_year, 12, 31), deadline_year::VARCHAR, deadline_year::VARCHAR,
       CASE WHEN comparator IN ('reduce_by', 'yoy_reduce_by', 'growth_le') THEN $plan_first - 1 END, NULL,
       printf('national/%s.txt', city),
       printf('%s生态环境保护规划（%d—%d年）', city_zh, $plan_first, $plan_last),
       printf('到%d年，%s%s%s%s', deadline_year, name_zh, word, value::VARCHAR, unit),
       [$departments[1 + (hash(i, j, 7) % 12)::INTEGER]],
       CASE WHEN hash(i, j, 8) % 3 = 0 THEN [] ELSE [$departments[1 + (hash(i, j, 9) % 12)::INTEGER]] END,
       NULL
FROM (
    SELECT *, CASE comparator WHEN '>=' THEN '不低于' WHEN '<=' THEN '不高于' WHEN '~' THEN '达到'
                   WHEN 'count_done' THEN '完成' WHEN 'growth_le' THEN '年均增长不超过'
                   ELSE '下降' END AS word,
           round(CASE
               WHEN comparator = 'count_done' THEN
                    greatest(1, round(rate / 2 * (12 * (deadline_year - $plan_first) + 6) * (1 + ambition)))
               WHEN comparator = 'reduce_by' THEN
                    greatest(0.5, 100 * (1 - pow(1 + r, deadline_year - $plan_first + 1)) + 100 * ambition)
               WHEN comparator = 'yoy_reduce_by' THEN greatest(0.5, -100 * r + 20 * ambition)
               WHEN comparator = 'growth_le' THEN greatest(0.5, 100 * r - 20 * ambition)
               WHEN pct THEN least(100, at_deadline + (CASE WHEN polarity = 'higher' THEN 10 ELSE -10 END)
                                        * ambition)
               WHEN polarity = 'higher' THEN at_deadline * (1 + ambition)
               ELSE at_deadline * (1 - ambition) END, 1) AS value
    FROM (
        SELECT *,
               CASE WHEN aggregation = 'cumulative_count' THEN 'count_done'
                    WHEN aggregation = 'annual_amount' AND polarity = 'lower' AND NOT days THEN
                         CASE WHEN pick < 0.4 THEN 'reduce_by' WHEN pick < 0.6 THEN 'yoy_reduce_by'
                              WHEN pick < 0.75 THEN 'growth_le' ELSE '<=' END
                    WHEN aggregation = 'annual_mean' AND pick < 0.3 THEN 'reduce_by'
                    WHEN pct AND polarity = 'higher' AND pick < 0.2 THEN '~'
                    WHEN polarity = 'higher' THEN '>=' ELSE '<=' END AS comparator,
               -- the model's evaluation value at the deadline (12-month figures for annual amounts)
               CASE WHEN pct THEN greatest(0, least(100, b + s * 12 * (deadline_year - $first_year + 1)))
                    WHEN days THEN b * 365
                    ELSE b * pow(1 + r, deadline_year - $first_year + 0.5)
                         * CASE WHEN aggregation = 'annual_amount' THEN 12 ELSE 1 END END AS at_deadline
        FROM bench_series
    )
)
"""

_MEASUREMENTS_SQL = """
INSERT INTO measurements (city, indicator, period, revision, value, original_value, original_unit, note,
                          is_demo, batch_id)
SELECT city, indicator, make_date($first_year + t // 12, t % 12 + 1, 1), 1, v, v, unit, NULL, TRUE, $batch
FROM (
    SELECT s.city, s.indicator, s.unit, s.t,
           greatest(s.valid_min, least(s.valid_max, round(CASE
               WHEN s.aggregation = 'cumulative_count' THEN round(s.rate * u)
               WHEN s.pct THEN s.b + s.s * s.t + 4 * (u - 0.5)
               WHEN s.days THEN round(s.b * 30 * (0.7 + 0.6 * u))
               ELSE s.b * pow(1 + s.r, s.t / 12) * (1 + 0.25 * cos(2 * pi() * (s.t % 12) / 12)
                    * CASE WHEN s.polarity = 'lower' THEN 1 ELSE 0.2 END) * (0.9 + 0.2 * u)
                    END, 3))) AS v
    FROM (SELECT s.*, m.t, (hash(s.i, s.j, m.t) % 1000003) / 1000003.0 AS u
          FROM bench_series s CROSS JOIN (SELECT range AS t FROM range($months)) m) s
)
ORDER BY city, indicator, 3
"""


def generate(path: Path | str, size: Size, catalog: cat.Catalog | None = None) -> dict[str, int]:
    """A fresh national database at `path` (replaced if present); returns the row counts."""
    catalog = catalog or cat.load()
    path = Path(path)
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    store.init(path, catalog)
    chosen = pick_indicators(catalog, size.indicators)
    with db.connect(path) as con:
        con.execute("BEGIN")
        _catalog_rows(con, size, [i.code for i in chosen])
        batch = store.new_batch(
            con, "demo", "benchmark", note="全国规模基准数据 national benchmark (generated)"
        )
        params = {"first_year": size.first_year, "months": size.months, "batch": batch}
        con.execute(_MEASUREMENTS_SQL, params)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        return counts(con)


def _catalog_rows(con: duckdb.DuckDBPyConnection, size: Size, indicators: list[str]) -> None:
    provinces = pd.DataFrame(PROVINCES, columns=["zh", "en"]).assign(k=range(len(PROVINCES)))
    con.register("bench_provinces", provinces)
    con.register("bench_picked", pd.DataFrame({"code": indicators, "j": range(1, len(indicators) + 1)}))
    con.execute(
        f"""
        CREATE TEMP TABLE bench_cities AS
        SELECT range AS i, printf('n%04d', range) AS code FROM range(1, {size.cities + 1});
        CREATE TEMP TABLE bench_indicators AS
        SELECT x.j, i.* FROM bench_picked x JOIN indicators i USING (code);
        INSERT INTO cities
        SELECT code, printf('样例县%04d', i), printf('County %04d', i), p.zh, p.en,
               printf('样例市%03d', i // 10), printf('Prefecture %03d', i // 10), 'county_city'
        FROM bench_cities JOIN bench_provinces p ON p.k = i % {len(PROVINCES)};
        INSERT INTO plans
        SELECT printf('national/%s.txt', code), code,
               printf('%s生态环境保护规划（%d—%d年）', printf('样例县%04d', i), {PLAN_FIRST}, {PLAN_LAST}),
               printf('County %04d eco-environmental protection plan (%d-%d)', i, {PLAN_FIRST}, {PLAN_LAST}),
               DATE '{PLAN_FIRST}-06-30', {PLAN_FIRST}, {PLAN_LAST}
        FROM bench_cities;
        """,
    )
    con.unregister("bench_provinces")
    con.unregister("bench_picked")
    con.execute(_SERIES_SQL)
    con.execute(
        _TARGETS_SQL,
        {
            "plan_first": PLAN_FIRST,
            "plan_last": PLAN_LAST,
            "first_year": size.first_year,
            "departments": DEPARTMENTS,
        },
    )


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    out = {}
    for table in ("cities", "indicators", "plans", "targets", "measurements"):
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        out[table] = int(row[0]) if row else 0
    return out
