"""The KPI set by region for one period: FAIMS's engine against a hand-written DuckDB / polars query.

    .venv/bin/python bench/bench_metrics.py                                  # 100,000 projects, both databases
    .venv/bin/python bench/bench_metrics.py --projects 1000000 --backend postgres
    .venv/bin/python bench/bench_metrics.py --projects 3000 --runs 3 --workdir /tmp/b --reuse

For each database: a fresh database (SQLite file, or PostgreSQL `faims_bench_metrics` dropped and created),
`faims load_demo --projects N`, the 2021 history (bench/history.py, then `faims refresh_metrics` when it
exists), then in one worker process (Django set up with that DATABASE_URL):

(a) FAIMS: `evaluate(Project.objects.all(), 2022, 6, by="region")` (every implemented KPI), warm, median of
    --runs;
(b) the reference: the raw rows (projects, 2022 annual plans, the 2022-06 reports, memberships) read from the
    same database into DuckDB and polars, and one hand-written grouped query computing the same KPIs; only
    the query is timed (median of --runs);
(c) the check: every region's values from the reference equal FAIMS's (counts and money exactly, rates as
    fractions), or the script fails;

and, as a subprocess, (e) `faims metrics --year 2022 --month 6 --by region --format json`: wall time and
peak memory. The table at the end gives the ratios FAIMS / DuckDB (limits: 4× on PostgreSQL, 12× on SQLite).
`--reuse` keeps a database this script prepared before (SQLite needs `--workdir` to keep its file).
"""

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from bench_demo import run
from history import prepare, setup_django

ROOT = Path(__file__).resolve().parent.parent
FAIMS = str(ROOT / ".venv" / "bin" / "faims")
YEAR, MONTH = 2022, 6
LIMITS = {"sqlite": 12, "postgres": 4}
PG_NAME = os.environ.get("BENCH_PG_NAME", "faims_bench_metrics")


# --------------------------------------------------------------------------------------------------------------
# The reference: raw rows → DuckDB / polars → one grouped query.


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _utc(value):
    """A timestamp as naive UTC (PostgreSQL gives aware datetimes, SQLite naive UTC text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _cents(column: str) -> str:
    """Money as integer cents, computed by the database (exact from PostgreSQL numerics and SQLite's values)."""
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def read_rows(connection, period_pk) -> dict:
    """The rows the KPIs need, as plain columns (dates parsed, money in cents); the polars frames."""
    import polars as pl

    queries = {
        "projects": (
            "SELECT id, region_id, status, code IS NOT NULL, " + _cents("total_investment") + ", actual_sign_date, "
            "actual_filing_date, actual_start_date, actual_completion_date, actual_production_date, "
            "actual_capacity_date, in_statistics, statistics_date FROM projects_project",
            [],
        ),
        "plans": (
            "SELECT project_id, " + _cents("planned_investment") + ", start_kind FROM projects_annualplan "
            "WHERE year = %s",
            [YEAR],
        ),
        "reports": (
            "SELECT project_id, status, " + _cents("ytd_investment") + ", first_submitted_at "
            "FROM reporting_monthlyreport WHERE period_id = %s",
            [period_pk or 0],
        ),
        "memberships": ("SELECT project_id, status, admitted_date FROM projects_membership", []),
    }
    schemas = {
        "projects": [
            ("id", pl.Int64),
            ("region_id", pl.Int64),
            ("status", pl.String),
            ("has_code", pl.Boolean),
            ("total", pl.Int64),
            ("sign", pl.Date),
            ("filing", pl.Date),
            ("start", pl.Date),
            ("completion", pl.Date),
            ("production", pl.Date),
            ("capacity", pl.Date),
            ("in_statistics", pl.Boolean),
            ("statistics_date", pl.Date),
        ],
        "plans": [("project_id", pl.Int64), ("plan", pl.Int64), ("start_kind", pl.String)],
        "reports": [
            ("project_id", pl.Int64),
            ("status", pl.String),
            ("ytd", pl.Int64),
            ("first_submitted_at", pl.Datetime("us")),
        ],
        "memberships": [("project_id", pl.Int64), ("status", pl.String), ("admitted_date", pl.Date)],
    }
    frames = {}
    for name, (sql, params) in queries.items():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        schema = schemas[name]
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
        data = {}
        for (column, dtype), values in zip(schema, columns, strict=True):
            if dtype == pl.Date:
                values = [_date(v) for v in values]
            elif dtype == pl.Boolean:
                values = [None if v is None else bool(v) for v in values]
            elif isinstance(dtype, pl.Datetime):
                values = [_utc(v) for v in values]
            data[column] = pl.Series(column, values, dtype=dtype)
        frames[name] = pl.DataFrame(data)
    return frames


def parameters(thresholds: dict, deadline_passed_at: dt.datetime) -> dict:
    end = dt.date(YEAR, MONTH + 1, 1) - dt.timedelta(days=1) if MONTH < 12 else dt.date(YEAR, 12, 31)
    return {
        "start": dt.date(YEAR, 1, 1),
        "end": end,
        "late": _utc(deadline_passed_at),
        # behind: ytd × 1200 < plan × (100·M − 12·points); over half: ytd × 100 ≥ plan × share
        "behind_factor": int(Decimal(100 * MONTH) - 12 * thresholds["behind_schedule_points"]),
        "half_share": int(thresholds["over_half_percent"]),
        "stats_floor": int(thresholds["stats_entry_min_wanyuan"] * 100),
    }


# Every aggregate, by name: the condition counted (or the cents summed).
COUNTS = [
    "all",
    "new",
    "continuing",
    "started",
    "not_started",
    "new_started",
    "continuing_not_started",
    "behind",
    "planned",
    "over_half",
    "stats_cohort",
    "stats_entered",
    "due",
    "missing",
    "on_time",
    "completed",
    "in_production",
    "signed",
    "signed_coded",
    "filed",
    "filed_started",
    "completed_in_year",
    "completed_producing",
    "producing_in_year",
    "producing_capacity",
    "filed_10yi",
    "filed_50yi",
    "filed_100yi",
]
SUMS = ["s_total", "s_plan", "s_ytd", "s_started_plan", "s_started_ytd"]

DUCKDB_QUERY = """
WITH entered AS (
    SELECT project_id, MIN(admitted_date) AS entered FROM memberships
    WHERE admitted_date IS NOT NULL AND status <> 'withdrawn' GROUP BY project_id
), f AS (
    SELECT p.region_id, p.total,
           COALESCE(pl.plan, 0) AS plan,
           pl.start_kind,
           COALESCE(CASE WHEN r.status IN ('accepted', 'submitted') THEN r.ytd END, 0) AS ytd,
           COALESCE(p.start <= $end, false) AS started,
           COALESCE(p.filing BETWEEN $start AND $end, false) AS filed_year,
           COALESCE(p.sign BETWEEN $start AND $end, false) AS signed,
           COALESCE(p.completion BETWEEN $start AND $end, false) AS completed_year,
           COALESCE(p.production BETWEEN $start AND $end, false) AS producing_year,
           COALESCE(p.completion <= $end, false) AS completed,
           COALESCE(p.production <= $end, false) AS producing,
           COALESCE(p.capacity <= $end, false) AS capacity,
           p.has_code,
           p.in_statistics AND (p.statistics_date IS NULL OR p.statistics_date <= $end) AS in_stats,
           pl.project_id IS NOT NULL AND p.status <> 'withdrawn' AND (e.entered IS NULL OR e.entered <= $end) AS due,
           r.first_submitted_at IS NOT NULL AS filed,
           COALESCE(r.first_submitted_at >= $late, false) AS filed_late
    FROM projects p
    LEFT JOIN plans pl ON pl.project_id = p.id
    LEFT JOIN reports r ON r.project_id = p.id
    LEFT JOIN entered e ON e.project_id = p.id
)
SELECT region_id,
       COUNT(*) AS "all",
       COUNT(*) FILTER (WHERE start_kind = 'new') AS new,
       COUNT(*) FILTER (WHERE start_kind = 'continuing') AS continuing,
       COUNT(*) FILTER (WHERE started) AS started,
       COUNT(*) FILTER (WHERE NOT started) AS not_started,
       COUNT(*) FILTER (WHERE start_kind = 'new' AND started) AS new_started,
       COUNT(*) FILTER (WHERE start_kind = 'continuing' AND NOT started) AS continuing_not_started,
       COUNT(*) FILTER (WHERE started AND plan > 0 AND ytd * 1200 < plan * $behind_factor) AS behind,
       COUNT(*) FILTER (WHERE plan > 0) AS planned,
       COUNT(*) FILTER (WHERE plan > 0 AND ytd * 100 >= plan * $half_share) AS over_half,
       COUNT(*) FILTER (WHERE started AND total >= $stats_floor) AS stats_cohort,
       COUNT(*) FILTER (WHERE started AND total >= $stats_floor AND in_stats) AS stats_entered,
       COUNT(*) FILTER (WHERE due) AS due,
       COUNT(*) FILTER (WHERE due AND NOT filed) AS missing,
       COUNT(*) FILTER (WHERE due AND filed AND NOT filed_late) AS on_time,
       COUNT(*) FILTER (WHERE completed) AS completed,
       COUNT(*) FILTER (WHERE producing) AS in_production,
       COUNT(*) FILTER (WHERE signed) AS signed,
       COUNT(*) FILTER (WHERE signed AND has_code) AS signed_coded,
       COUNT(*) FILTER (WHERE filed_year) AS filed,
       COUNT(*) FILTER (WHERE filed_year AND started) AS filed_started,
       COUNT(*) FILTER (WHERE completed_year) AS completed_in_year,
       COUNT(*) FILTER (WHERE completed_year AND producing) AS completed_producing,
       COUNT(*) FILTER (WHERE producing_year) AS producing_in_year,
       COUNT(*) FILTER (WHERE producing_year AND capacity) AS producing_capacity,
       COUNT(*) FILTER (WHERE filed_year AND total >= 10000000) AS filed_10yi,
       COUNT(*) FILTER (WHERE filed_year AND total >= 50000000) AS filed_50yi,
       COUNT(*) FILTER (WHERE filed_year AND total >= 100000000) AS filed_100yi,
       SUM(total) AS s_total,
       SUM(plan) AS s_plan,
       SUM(ytd) AS s_ytd,
       COALESCE(SUM(plan) FILTER (WHERE started), 0) AS s_started_plan,
       COALESCE(SUM(ytd) FILTER (WHERE started), 0) AS s_started_ytd
FROM f GROUP BY region_id
"""


def polars_query(frames: dict, p: dict):
    """The same query with polars' lazy API (a LazyFrame; `.collect()` runs it)."""
    import polars as pl

    entered = (
        frames["memberships"]
        .lazy()
        .filter(pl.col("admitted_date").is_not_null() & (pl.col("status") != "withdrawn"))
        .group_by("project_id")
        .agg(pl.col("admitted_date").min().alias("entered"))
    )
    c = pl.col
    in_year = lambda name: c(name).is_between(p["start"], p["end"]).fill_null(False)  # noqa: E731
    by_end = lambda name: (c(name) <= p["end"]).fill_null(False)  # noqa: E731
    f = (
        frames["projects"]
        .lazy()
        .join(frames["plans"].lazy(), left_on="id", right_on="project_id", how="left")
        .join(
            frames["reports"].lazy().rename({"status": "report_status"}),
            left_on="id",
            right_on="project_id",
            how="left",
        )
        .join(entered, left_on="id", right_on="project_id", how="left")
        .select(
            "region_id",
            "total",
            "start_kind",
            "has_code",
            plan=c("plan").fill_null(0),
            ytd=pl.when(c("report_status").is_in(["accepted", "submitted"])).then(c("ytd")).otherwise(0).fill_null(0),
            started=by_end("start"),
            filed_year=in_year("filing"),
            signed=in_year("sign"),
            completed_year=in_year("completion"),
            producing_year=in_year("production"),
            completed=by_end("completion"),
            producing=by_end("production"),
            capacity=by_end("capacity"),
            in_stats=c("in_statistics") & (c("statistics_date").is_null() | (c("statistics_date") <= p["end"])),
            due=c("start_kind").is_not_null()
            & (c("status") != "withdrawn")
            & (c("entered").is_null() | (c("entered") <= p["end"])),
            filed=c("first_submitted_at").is_not_null(),
            filed_late=(c("first_submitted_at") >= p["late"]).fill_null(False),
        )
    )
    new, continuing = c("start_kind") == "new", c("start_kind") == "continuing"
    started, planned, filed_year = c("started"), c("plan") > 0, c("filed_year")
    cohort = started & (c("total") >= p["stats_floor"])
    conditions = {
        "new": new,
        "continuing": continuing,
        "started": started,
        "not_started": ~started,
        "new_started": new & started,
        "continuing_not_started": continuing & ~started,
        "behind": started & planned & (c("ytd") * 1200 < c("plan") * p["behind_factor"]),
        "planned": planned,
        "over_half": planned & (c("ytd") * 100 >= c("plan") * p["half_share"]),
        "stats_cohort": cohort,
        "stats_entered": cohort & c("in_stats"),
        "due": c("due"),
        "missing": c("due") & ~c("filed"),
        "on_time": c("due") & c("filed") & ~c("filed_late"),
        "completed": c("completed"),
        "in_production": c("producing"),
        "signed": c("signed"),
        "signed_coded": c("signed") & c("has_code"),
        "filed": filed_year,
        "filed_started": filed_year & started,
        "completed_in_year": c("completed_year"),
        "completed_producing": c("completed_year") & c("producing"),
        "producing_in_year": c("producing_year"),
        "producing_capacity": c("producing_year") & c("capacity"),
        "filed_10yi": filed_year & (c("total") >= 10_000_000),
        "filed_50yi": filed_year & (c("total") >= 50_000_000),
        "filed_100yi": filed_year & (c("total") >= 100_000_000),
    }
    aggregates = [pl.len().alias("all")]
    aggregates += [condition.fill_null(False).sum().alias(name) for name, condition in conditions.items()]
    aggregates += [
        c("total").sum().alias("s_total"),
        c("plan").sum().alias("s_plan"),
        c("ytd").sum().alias("s_ytd"),
        c("plan").filter(started).sum().alias("s_started_plan"),
        c("ytd").filter(started).sum().alias("s_started_ytd"),
    ]
    return f.group_by("region_id").agg(aggregates)


def _rate(numerator, denominator):
    return None if not denominator else Fraction(numerator, denominator)


def _yuan(cents) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))


def kpis(row: dict, targets: dict) -> dict:
    """The KPI values of one reference row (KPIS.md's definitions, written out independently of the engine)."""
    n = {name: int(row[name]) for name in COUNTS}
    plan, ytd = int(row["s_plan"]), int(row["s_ytd"])
    target = targets.get(row["region_id"])
    completion = _rate(ytd, plan)
    time_progress = Fraction(MONTH, 12)
    return {
        "project_count": n["all"],
        "new_count": n["new"],
        "continuing_count": n["continuing"],
        "total_investment": _yuan(row["s_total"]),
        "annual_plan": _yuan(plan),
        "annual_target": None if target is None else _yuan(target),
        "ytd_investment": _yuan(ytd),
        "completion_rate": completion,
        "target_completion_rate": _rate(ytd, target),
        "time_progress": time_progress,
        "progress_gap": None if completion is None else completion - time_progress,
        "new_started_count": n["new_started"],
        "new_start_rate": _rate(n["new_started"], n["new"]),
        "continuing_not_started_count": n["continuing_not_started"],
        "not_started_count": n["not_started"],
        "started_rate": _rate(n["started"], n["all"]),
        "behind_schedule_count": n["behind"],
        "over_half_count": n["over_half"],
        "stats_entry_rate": _rate(n["stats_entered"], n["stats_cohort"]),
        "missing_report_count": n["missing"],
        "on_time_report_rate": _rate(n["on_time"], n["due"]),
        "completed_count": n["completed"],
        "in_production_count": n["in_production"],
        "filing_rate": _rate(n["signed_coded"], n["signed"]),
        "filed_start_rate": _rate(n["filed_started"], n["filed"]),
        "started_investment_rate": _rate(int(row["s_started_ytd"]), int(row["s_started_plan"])),
        "production_rate": _rate(n["completed_producing"], n["completed_in_year"]),
        "capacity_rate": _rate(n["producing_capacity"], n["producing_in_year"]),
        "filed_10yi_count": n["filed_10yi"],
        "filed_50yi_count": n["filed_50yi"],
        "filed_100yi_count": n["filed_100yi"],
    }


def compare(faims: dict, reference: dict, engine_name: str) -> list[str]:
    """The differences between FAIMS's per-region values and the reference's ([] when they agree)."""
    problems = []
    if set(faims) != set(reference):
        problems.append(f"{engine_name}: regions differ: FAIMS {sorted(faims)} vs {sorted(reference)}")
    for region in sorted(set(faims) & set(reference)):
        for key, value in faims[region].items():
            if key not in reference[region]:
                continue
            expected = reference[region][key]
            if isinstance(value, Decimal) and expected is not None:
                same = value == expected
            elif isinstance(value, float):  # a rate given as a float would not be exact
                same = expected is not None and abs(value - float(expected)) < 1e-12
            else:
                same = (value is None and expected is None) or (
                    value is not None and expected is not None and Fraction(value) == Fraction(expected)
                )
            if not same:
                problems.append(f"{engine_name}: region {region} {key}: FAIMS {value!r} vs reference {expected!r}")
    return problems


def duckdb_tables(frames: dict):
    """A DuckDB connection holding the frames as its own tables (through Parquet files: no pyarrow needed)."""
    import duckdb

    con = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="faims-bench-duckdb-") as tmp:
        for name, frame in frames.items():
            path = Path(tmp) / f"{name}.parquet"
            frame.write_parquet(path)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
    return con


def measured_path(commands) -> str:
    """Which path of the engine the run measures: the stored facts of the period, or the live query."""
    try:
        from faims.metrics.models import FactPeriod
    except ImportError:
        FactPeriod = None
    if FactPeriod is not None and FactPeriod.objects.filter(year=YEAR, month=MONTH).exists():
        return f"stored facts of {YEAR}-{MONTH:02d} (built by faims refresh_metrics)"
    if "refresh_metrics" in commands:
        return "live query (faims refresh_metrics exists but has not built this period)"
    return "live query over the reports (no faims refresh_metrics yet)"


def median_time(function, runs: int) -> tuple[float, object]:
    result = function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


# --------------------------------------------------------------------------------------------------------------
# The worker: one database, Django set up with its DATABASE_URL.


def worker(runs: int) -> dict:
    setup_django()
    from django.core.management import get_commands
    from django.db import connection

    from faims.metrics.engine import VISIT_KEYS, evaluate
    from faims.metrics.registry import IMPLEMENTED
    from faims.metrics.services import current_version, thresholds_of
    from faims.projects.models import Project
    from faims.reporting.deadlines import deadline_passed_at
    from faims.reporting.models import ReportingPeriod
    from faims.targets.models import Target

    out = {"path": measured_path(get_commands()), "vendor": connection.vendor}

    # (a) FAIMS
    # The KPIs of KPIS.md (every implemented one but the visit compliance, an addition of FAIMS that counts the
    # slice's leaders and commissioners over its projects, not the period's figures).
    keys = [key for key in IMPLEMENTED if key not in VISIT_KEYS]
    out["faims_seconds"], result = median_time(
        lambda: evaluate(Project.objects.all(), YEAR, MONTH, by="region", keys=keys), runs)
    faims = {row.key: row.values for row in result.rows}
    out["regions"] = len(faims)
    out["projects"] = sum(values["project_count"] for values in faims.values())

    # (b) the reference, from the same database
    period = ReportingPeriod.objects.get(year=YEAR, month=MONTH)
    started = time.perf_counter()
    frames = read_rows(connection, period.pk)
    out["read_seconds"] = time.perf_counter() - started
    out["rows"] = {name: frame.height for name, frame in frames.items()}
    params = parameters(thresholds_of(current_version()), deadline_passed_at(period))
    targets = {
        region: int(value * 100)
        for region, value in Target.objects.filter(
            kpi_key="annual_target", year=YEAR, period="year", scope="region"
        ).values_list("region_id", "value")
    }

    con = duckdb_tables(frames)

    def run_duckdb():
        cursor = con.execute(DUCKDB_QUERY, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    out["duckdb_seconds"], duck_rows = median_time(run_duckdb, runs)
    lazy = polars_query(frames, params)
    out["polars_seconds"], polars_frame = median_time(lazy.collect, runs)

    # (c) the check
    reference = {
        "duckdb": {r["region_id"]: kpis(r, targets) for r in duck_rows},
        "polars": {r["region_id"]: kpis(r, targets) for r in polars_frame.to_dicts()},
    }
    problems = []
    for engine_name, values in reference.items():
        problems += compare(faims, values, engine_name)
    checked = sorted(set(IMPLEMENTED) & set(next(iter(reference["duckdb"].values()), {})))
    out["checked_keys"] = checked
    out["unchecked_keys"] = sorted(set(IMPLEMENTED) - set(checked))
    out["problems"] = problems
    return out


# --------------------------------------------------------------------------------------------------------------
# The parent: prepare each database, run the worker, measure `faims metrics`, print the table.


def measure_command(env: dict) -> dict:
    """Wall time and peak memory of `faims metrics … --by region --format json` as a subprocess."""
    args = [FAIMS, "metrics", "--year", str(YEAR), "--month", str(MONTH), "--by", "region", "--format", "json"]
    time_binary = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    started = time.monotonic()
    if time_binary:
        done = subprocess.run(
            [time_binary, "-v", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
        )
        wall = time.monotonic() - started
        peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
        return {"wall_seconds": wall, "peak_kb": peak}
    subprocess.run(args, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.monotonic() - started
    return {"wall_seconds": wall, "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


def bench(backend: str, args, workdir: Path) -> dict:
    log = lambda message: print(message, flush=True)  # noqa: E731
    env, timings = prepare(
        backend, args.projects, workdir, PG_NAME, seed=args.seed, reuse=args.reuse, refresh=args.refresh, log=log
    )
    run(["migrate", "-v0"], env)  # the checkout may have gained migrations while the database loaded
    log(f"{backend}: measuring (median of {args.runs} warm runs) …")
    done = subprocess.run(
        [sys.executable, __file__, "--worker", "--runs", str(args.runs)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(timings, command=measure_command(env))
    for problem in result["problems"][:40]:
        log(f"  MISMATCH {problem}")
    return result


def _ms(seconds) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.1f} ms"


def report(results: dict, projects: int) -> None:
    backends = list(results)
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    first = results[backends[0]]
    print()
    print(
        f"KPI set by region, {YEAR}-{MONTH:02d}, {projects:,} projects ({first['projects']:,} counted, "
        f"{first['regions']} regions); {len(first['checked_keys'])} KPIs checked"
    )
    for backend in backends:
        r = results[backend]
        print(f"  {names[backend]}: {r['path']}; rows read for the reference {r['rows']}")
    width = 34
    print(f"| {'':{width}} | " + " | ".join(f"{names[b]:>14}" for b in backends) + " |")
    print(f"| {'-' * width} | " + " | ".join("-" * 13 + ":" for _ in backends) + " |")

    def line(label, cells):
        print(f"| {label:{width}} | " + " | ".join(f"{c:>14}" for c in cells) + " |")

    line("FAIMS evaluate(by=region)", [_ms(results[b]["faims_seconds"]) for b in backends])
    line("DuckDB, same KPIs", [_ms(results[b]["duckdb_seconds"]) for b in backends])
    line("polars, same KPIs", [_ms(results[b]["polars_seconds"]) for b in backends])
    line(
        "FAIMS / DuckDB (limit)",
        [f"{results[b]['faims_seconds'] / results[b]['duckdb_seconds']:.1f}× ({LIMITS[b]}×)" for b in backends],
    )
    line("FAIMS / polars", [f"{results[b]['faims_seconds'] / results[b]['polars_seconds']:.1f}×" for b in backends])
    line("faims metrics --by region: wall", [f"{results[b]['command']['wall_seconds']:.2f} s" for b in backends])
    line("faims metrics: peak memory", [f"{results[b]['command']['peak_kb'] / 1024:,.0f} MB" for b in backends])
    line("reading the reference rows", [f"{results[b]['read_seconds']:.2f} s" for b in backends])
    line(
        "load_demo",
        ["—" if results[b]["load_seconds"] is None else f"{results[b]['load_seconds']:.1f} s" for b in backends],
    )
    history = [results[b]["history"] for b in backends]
    line("2021 history (SQL)", ["—" if h is None else f"{h['history_seconds']:.1f} s" for h in history])
    line(
        "faims refresh_metrics",
        ["—" if results[b]["refresh_seconds"] is None else f"{results[b]['refresh_seconds']:.1f} s" for b in backends],
    )
    line("reports per project", ["—" if h is None else f"{h['total_reports'] / h['projects']:.1f}" for h in history])
    failed = False
    for backend in backends:
        r = results[backend]
        ratio = r["faims_seconds"] / r["duckdb_seconds"]
        verdict = "within" if ratio < LIMITS[backend] else "OVER"
        print(f"{names[backend]}: FAIMS {ratio:.1f}× DuckDB, {verdict} the {LIMITS[backend]}× limit")
        if r["unchecked_keys"]:
            print(f"{names[backend]}: not checked against the reference: {', '.join(r['unchecked_keys'])}")
        if r["problems"]:
            failed = True
            print(f"{names[backend]}: {len(r['problems'])} values DIFFER between FAIMS and the reference")
        else:
            print(f"{names[backend]}: every region's values equal the reference's (DuckDB and polars)")
    if failed:
        raise SystemExit("FAIMS and the reference query disagree: the benchmark compares different computations")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the SQLite file here (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="keep a database this script prepared before")
    parser.add_argument("--refresh", action="store_true", help="with --reuse: run faims refresh_metrics again")
    parser.add_argument("--json", type=Path, default=None, help="also write the results to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.runs), default=str))
        return
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = {}
    with tempfile.TemporaryDirectory(prefix="faims-bench-metrics-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for backend in backends:
            results[backend] = bench(backend, args, workdir)
            r = results[backend]
            print(
                f"{backend}: FAIMS {_ms(r['faims_seconds'])}, DuckDB {_ms(r['duckdb_seconds'])}, polars "
                f"{_ms(r['polars_seconds'])}; {len(r['problems'])} differences",
                flush=True,
            )
            if args.json:  # after each database, so that a later failure keeps the earlier results
                args.json.write_text(json.dumps(results, indent=2, default=str))
    report(results, args.projects)


if __name__ == "__main__":
    sys.exit(main())
