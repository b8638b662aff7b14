"""The reference query of bench_metrics.py on a handful of hand-made projects: DuckDB and polars agree
with each other and with the counts worked out by hand from KPIS.md.

    .venv/bin/pytest bench/tests -q -p no:cacheprovider
"""

import datetime as dt
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_metrics  # noqa: E402

D = dt.date


def frames():
    projects = pl.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "region_id": [1, 1, 1, 2, 2],
            "status": ["construction", "preparation", "withdrawn", "construction", "capacity"],
            "has_code": [True, False, False, False, True],
            "total": [60_000, 10_000_000, 5_000, 1_000, 90_000],
            "sign": [None, None, None, None, D(2022, 2, 1)],
            "filing": [None, D(2022, 3, 1), None, None, None],
            "start": [D(2021, 5, 1), None, D(2022, 7, 15), D(2022, 6, 30), D(2020, 1, 1)],
            "completion": [None, None, None, None, D(2022, 3, 1)],
            "production": [None, None, None, None, D(2022, 4, 1)],
            "capacity": [None, None, None, None, D(2022, 6, 1)],
            "in_statistics": [True, False, False, False, False],
            "statistics_date": [None, None, None, None, None],
        },
        schema_overrides={"id": pl.Int64, "region_id": pl.Int64, "total": pl.Int64},
    )
    plans = pl.DataFrame(
        {
            "project_id": [1, 2, 4, 5],
            "plan": [100_000, 50_000, 0, 80_000],
            "start_kind": ["continuing", "new", "new", "continuing"],
        },
        schema_overrides={"project_id": pl.Int64, "plan": pl.Int64},
    )
    reports = pl.DataFrame(
        {
            "project_id": [1, 2, 4, 5],
            "status": ["accepted", "submitted", "draft", "returned"],
            "ytd": [20_000, 30_000, 1_000, 50_000],
            "first_submitted_at": [
                dt.datetime(2022, 7, 10, 2),
                dt.datetime(2022, 7, 25, 2),
                None,
                dt.datetime(2022, 7, 1, 2),
            ],
        },
        schema_overrides={"project_id": pl.Int64, "ytd": pl.Int64, "first_submitted_at": pl.Datetime("us")},
    )
    memberships = pl.DataFrame(
        {
            "project_id": [4, 4, 5],
            "status": ["withdrawn", "in_library", "in_library"],
            "admitted_date": [D(2022, 1, 1), D(2022, 8, 1), D(2022, 5, 1)],
        },
        schema_overrides={"project_id": pl.Int64},
    )
    return {"projects": projects, "plans": plans, "reports": reports, "memberships": memberships}


PARAMS = bench_metrics.parameters(
    {"behind_schedule_points": Decimal(10), "over_half_percent": Decimal(50), "stats_entry_min_wanyuan": Decimal(500)},
    dt.datetime(2022, 7, 21, tzinfo=dt.timezone(dt.timedelta(hours=8))),
)


def by_region_duckdb(data):
    con = bench_metrics.duckdb_tables(data)
    cursor = con.execute(bench_metrics.DUCKDB_QUERY, PARAMS)
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def by_region_polars(data):
    rows = bench_metrics.polars_query(data, PARAMS).collect().to_dicts()
    return {row["region_id"]: row for row in rows}


def test_polars_agrees_with_hand_counts():
    rows = by_region_polars(frames())
    one, two = rows[1], rows[2]
    assert PARAMS["late"] == dt.datetime(2022, 7, 20, 16)
    assert (one["all"], one["new"], one["continuing"], one["started"], one["not_started"]) == (3, 1, 1, 1, 2)
    assert (one["behind"], one["planned"], one["over_half"], one["stats_cohort"], one["stats_entered"]) == (
        1,
        2,
        1,
        1,
        1,
    )
    assert (one["due"], one["missing"], one["on_time"], one["filed"], one["filed_10yi"], one["filed_50yi"]) == (
        2,
        0,
        1,
        1,
        1,
        0,
    )
    assert (one["s_plan"], one["s_ytd"], one["s_started_plan"], one["s_started_ytd"]) == (
        150_000,
        50_000,
        100_000,
        20_000,
    )
    assert (two["all"], two["started"], two["new_started"], two["behind"], two["due"], two["on_time"]) == (
        2,
        2,
        1,
        1,
        1,
        1,
    )
    assert (two["completed_in_year"], two["completed_producing"], two["producing_capacity"], two["signed_coded"]) == (
        1,
        1,
        1,
        1,
    )
    values = bench_metrics.kpis(one, {1: 200_000})
    assert values["completion_rate"] == Fraction(1, 3)
    assert values["target_completion_rate"] == Fraction(1, 4)
    assert values["ytd_investment"] == Decimal("500.00")
    assert bench_metrics.kpis(two, {})["annual_target"] is None


def test_duckdb_equals_polars():
    data = frames()
    duck = by_region_duckdb(data)
    polars_rows = by_region_polars(data)
    for region, row in polars_rows.items():
        for name in bench_metrics.COUNTS + bench_metrics.SUMS:
            assert int(duck[region][name]) == int(row[name]), (region, name)
