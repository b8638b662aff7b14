"""A second year of history for the benchmarks: the demo's 2022 copied back into 2021 ("× 24 months").

    DATABASE_URL=sqlite:////tmp/x.sqlite3 .venv/bin/python bench/history.py     # after `faims load_demo`

The demo holds the reports of 2022-01 … 2022-08 and a few of 2022-09 (about 7.7 a project). This adds:

- the twelve reporting periods of 2021, locked, with the default deadlines (the 20th of the next month);
- every project's 2021 annual plan, a copy of its 2022 plan (same amount and kind);
- every project's 2021 reports: 2021-01 … 2021-08 copy its filed 2022 reports of the same month, 2021-09 …
  2021-12 copy its 2022-08 report with the year-to-date figure carried on along the demo's seasonal profile.
  Same figures, every date a year earlier (the filing and review times a month later for each month past
  August), status accepted.
  Drafts and never-filed reports are not copied; a project missing a 2022 month misses it in 2021 too.

So a project ends with about 19 reports (7.7 of 2022, about 11.4 of 2021). Rows are written with
INSERT … SELECT from the 2022 rows, in batches of project ids, on SQLite and PostgreSQL alike. Then
`faims refresh_metrics` runs when the command exists (the KPI fact table of every stored period).
"""

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
HISTORY_YEAR = 2021
SOURCE_YEAR = 2022
# The last month the demo holds complete reports of; later 2021 months copy this one.
LAST_SOURCE_MONTH = 8
# The demo's share of a year's investment in each month (faims.demo.reports.PROFILE).
PROFILE = (0.050, 0.045, 0.085, 0.080, 0.090, 0.105, 0.080, 0.085, 0.095, 0.085, 0.090, 0.110)
PROJECT_BATCH = 100_000


def setup_django() -> None:
    """django.setup() with the environment's DATABASE_URL (FAIMS_HOME defaults to the checkout)."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faims.settings")
    import django

    django.setup()


def _shift_date(vendor: str, column: str, months: int) -> str:
    if vendor == "sqlite":
        return f"date({column}, '{months:+d} months')"
    return f"CAST({column} + INTERVAL '{months} months' AS DATE)"


def _shift_datetime(vendor: str, column: str, months: int, days: int = 0) -> str:
    if vendor == "sqlite":
        extra = f", '{days:+d} days'" if days else ""
        return f"datetime({column}, '{months:+d} months'{extra})"
    return f"({column} + INTERVAL '{months} months' + INTERVAL '{days} days')"


def _cumulative(month: int) -> float:
    return sum(PROFILE[:month])


def report_select(vendor: str, month: int) -> tuple[list[str], list[str]]:
    """The columns of a 2021 report and the SELECT expressions that make it from a 2022 row `r`."""
    from faims.reporting.models import MonthlyReport

    source = min(month, LAST_SOURCE_MONTH)
    shift = (HISTORY_YEAR * 12 + month) - (SOURCE_YEAR * 12 + source)
    scale = _cumulative(month) / _cumulative(source)
    carried = {
        # Past August the year goes on at the profile's pace from the August figure.
        "ytd_investment": f"ROUND(r.ytd_investment * {scale:.10f}, 2)",
        "month_investment": f"ROUND(r.ytd_investment * {PROFILE[month - 1] / _cumulative(source):.10f}, 2)",
        "cumulative_investment": f"ROUND(r.cumulative_investment + r.ytd_investment * {scale - 1:.10f}, 2)",
    }
    columns, expressions = [], []
    for f in MonthlyReport._meta.concrete_fields:
        if f.primary_key:
            continue
        name, kind = f.column, f.get_internal_type()
        if name == "period_id":
            expression = "%(period)s"
        elif name == "status":
            expression = "'accepted'"
        elif name in ("created", "updated"):
            expression = "%(now)s"
        elif name == "return_reason":
            expression = "''"
        elif name == "reviewed_at":
            expression = (
                f"COALESCE({_shift_datetime(vendor, 'r.reviewed_at', shift)}, "
                f"{_shift_datetime(vendor, 'r.submitted_at', shift, 2)})"
            )
        elif name == "reviewed_by_id":
            expression = "COALESCE(r.reviewed_by_id, r.submitted_by_id)"
        elif name in carried and month > source:
            expression = carried[name]
        elif kind == "DateField":
            # The project's own dates (start, 入库): a year earlier whatever the month.
            expression = _shift_date(vendor, f"r.{name}", -12)
        elif kind == "DateTimeField":
            expression = _shift_datetime(vendor, f"r.{name}", shift)
        else:
            expression = f"r.{name}"
        columns.append(name)
        expressions.append(expression)
    return columns, expressions


def add_history(log=print) -> dict:
    """Write 2021's periods, plans and reports (Django set up); returns counts and seconds."""
    from django.conf import settings
    from django.core.management import call_command, get_commands
    from django.db import connection, transaction
    from django.db.models import Max, Min
    from django.utils import timezone

    from faims.org.choices import Role
    from faims.org.models import User
    from faims.projects.models import AnnualPlan, Project
    from faims.reporting.models import MonthlyReport, ReportingPeriod, default_deadline

    started = time.monotonic()
    vendor = connection.vendor
    if ReportingPeriod.objects.filter(year=HISTORY_YEAR).exists():
        raise SystemExit(f"{HISTORY_YEAR} already has reporting periods: run on a fresh demo database")
    admin = User.objects.filter(role=Role.CITY_ADMIN).order_by("pk").first()
    tz = ZoneInfo(settings.TIME_ZONE)
    ops, quote = connection.ops, connection.ops.quote_name
    now = ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        periods = []
        for month in range(1, 13):
            deadline = default_deadline(HISTORY_YEAR, month)
            lock_day = deadline + dt.timedelta(days=25)
            periods.append(
                ReportingPeriod(
                    year=HISTORY_YEAR,
                    month=month,
                    deadline=deadline,
                    locked_at=dt.datetime.combine(lock_day, dt.time(17, 30), tzinfo=tz),
                    locked_by=admin,
                )
            )
        ReportingPeriod.objects.bulk_create(periods)
        history = dict(ReportingPeriod.objects.filter(year=HISTORY_YEAR).values_list("month", "pk"))
        source = dict(ReportingPeriod.objects.filter(year=SOURCE_YEAR).values_list("month", "pk"))

        plan_columns = [f.column for f in AnnualPlan._meta.concrete_fields if not f.primary_key]
        plan_select = [str(HISTORY_YEAR) if c == "year" else f"p.{c}" for c in plan_columns]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(AnnualPlan._meta.db_table)} ({', '.join(map(quote, plan_columns))}) "
                f"SELECT {', '.join(plan_select)} FROM {quote(AnnualPlan._meta.db_table)} p WHERE p.year = %s",
                [SOURCE_YEAR],
            )
            plans = cursor.rowcount

    bounds = Project.objects.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"] or 0, bounds["high"] or -1
    table = quote(MonthlyReport._meta.db_table)
    reports = 0
    for month in range(1, 13):
        columns, expressions = report_select(vendor, month)
        sql = (
            f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
            f"SELECT {', '.join(expressions)} FROM {table} r "
            f"WHERE r.period_id = %(source)s AND r.first_submitted_at IS NOT NULL "
            f"AND r.project_id >= %(low)s AND r.project_id < %(high)s"
        )
        for first in range(low, high + 1, PROJECT_BATCH):
            params = {
                "period": history[month],
                "now": now,
                "source": source[min(month, LAST_SOURCE_MONTH)],
                "low": first,
                "high": first + PROJECT_BATCH,
            }
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                reports += cursor.rowcount
    if vendor == "postgresql":
        # What autovacuum does soon after a bulk load, done now so that every run plans alike.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    written = time.monotonic() - started
    log(f"history: {HISTORY_YEAR} periods 12, plans {plans:,}, reports {reports:,} in {written:.1f} s")
    result = {"plans": plans, "reports": reports, "history_seconds": written, "refresh_seconds": None}
    if "refresh_metrics" in get_commands():
        started = time.monotonic()
        call_command("refresh_metrics", verbosity=0)
        result["refresh_seconds"] = time.monotonic() - started
        log(f"history: faims refresh_metrics in {result['refresh_seconds']:.1f} s")
    else:
        log("history: no `faims refresh_metrics` command yet (the engine reads the reports directly)")
    total_reports = MonthlyReport.objects.count()
    projects = Project.objects.count()
    result.update(total_reports=total_reports, projects=projects)
    log(f"history: {total_reports:,} reports for {projects:,} projects ({total_reports / max(projects, 1):.1f} each)")
    return result


def postgres_url(name: str) -> str:
    """BENCH_POSTGRES_URL's server (default the local one) with the database `name`."""
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/faims_bench")
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def _has_history(backend: str, url: str) -> bool:
    """Whether the database exists and already holds the 2021 periods (a finished earlier preparation)."""
    query = f"SELECT COUNT(*) FROM reporting_reportingperiod WHERE year = {HISTORY_YEAR}"
    try:
        if backend == "sqlite":
            path = url.removeprefix("sqlite:///")
            if not Path(path).exists():
                return False
            with sqlite3.connect(path) as conn:
                return conn.execute(query).fetchone()[0] == 12
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(query).fetchone()[0] == 12
    except Exception:  # no such database or table
        return False


def _has_command(name: str, env: dict) -> bool:
    from bench_demo import FAIMS

    listing = subprocess.run([FAIMS, "help", "--commands"], env=env, check=True, stdout=subprocess.PIPE, text=True)
    return name in listing.stdout.split()


def prepare(
    backend: str,
    projects: int,
    workdir: Path,
    pg_name: str,
    *,
    seed: int = 2022,
    reuse: bool = False,
    refresh: bool = False,
    log=print,
) -> tuple[dict, dict]:
    """The environment of a database holding the demo of `projects` projects and its 2021 history.

    A fresh SQLite file in `workdir`, or the PostgreSQL database `pg_name` dropped and created again;
    with `reuse`, a database already prepared this way is kept (migrated; `faims refresh_metrics` run again
    with `refresh`). Returns (env, timings).
    """
    from bench_demo import fresh_postgres, run

    env = dict(os.environ, FAIMS_HOME=str(workdir))
    env["DATABASE_URL"] = (
        f"sqlite:///{workdir / f'bench-{projects}.sqlite3'}" if backend == "sqlite" else postgres_url(pg_name)
    )
    (workdir / "var" / "static").mkdir(parents=True, exist_ok=True)  # quiets WhiteNoise in the workers
    timings = {"load_seconds": None, "history": None, "refresh_seconds": None}
    if reuse and _has_history(backend, env["DATABASE_URL"]):
        log(f"{backend}: reusing the prepared database {env['DATABASE_URL']}")
        run(["migrate", "-v0"], env)
        if refresh and _has_command("refresh_metrics", env):
            timings["refresh_seconds"] = run(["refresh_metrics"], env)
            log(f"{backend}: faims refresh_metrics {timings['refresh_seconds']:.1f} s")
        return env, timings
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(env["DATABASE_URL"].removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        fresh_postgres(env["DATABASE_URL"])
    run(["migrate", "-v0"], env)
    log(f"{backend}: faims load_demo --projects {projects:,} …")
    # BENCH_LOAD_ARGS: more options for load_demo (e.g. --without-warnings for a million projects).
    extra = os.environ.get("BENCH_LOAD_ARGS", "").split()
    timings["load_seconds"] = run(["load_demo", "--projects", str(projects), "--seed", str(seed), *extra], env)
    log(f"{backend}: load_demo {timings['load_seconds']:.1f} s")
    out = subprocess.run(
        [sys.executable, __file__, "--json"], env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    timings["history"] = json.loads(out.strip().splitlines()[-1])
    timings["refresh_seconds"] = timings["history"]["refresh_seconds"]
    return env, timings


def main() -> None:
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL to the demo database")
    setup_django()
    if "--json" in sys.argv:
        result = add_history(log=lambda message: print(message, file=sys.stderr, flush=True))
        print(json.dumps(result))
    else:
        add_history()


if __name__ == "__main__":
    main()
