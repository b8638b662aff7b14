"""Time the Excel imports end to end on a fresh SQLite file and a fresh PostgreSQL database.

    .venv/bin/python bench/bench_imports.py                    # 10,000 rows, both databases
    .venv/bin/python bench/bench_imports.py --rows 2000 --backend sqlite

Each run loads `faims load_demo --projects N` into a new database, then, as the city admin:
1. a 1,000-row progress sheet as a dry run (read, match, rules, preview);
2. a 10,000-row progress sheet imported and committed (the reports through reporting.services.save_reports);
The sheets are of the 2022 month after the last one the demo holds reports of (June without reports);
their figures continue each project's latest report.
3. a 10,000-row project list for 2022 that creates new projects with their annual plans and library entries.
The sheets are .xlsx files written with xlsxwriter from the demo registry. PostgreSQL is reached
through BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/faims_bench_imports), which is
dropped and created again. Run by hand, never as a test.
"""
import argparse
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench_demo import fresh_database  # bench/ is the script's own folder

ROOT = Path(__file__).resolve().parent.parent
FAIMS = str(ROOT / ".venv" / "bin" / "faims")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/faims_bench_imports"


def progress_sheet(projects, plans, month: int, earlier: dict) -> bytes:
    """A 1–M月 progress sheet of 2022 for `projects`; figures continue each project's latest report (`earlier`)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet(f"1-{month}月")
    sheet.write_row(0, 0, [f"2022年重大项目1-{month}月推进情况表"])
    sheet.write_row(1, 0, ["单位：万元"])
    sheet.write_row(2, 0, ["序号", "项目代码", "项目名称", f"1-{month}月完成投资", "自开始建设累计完成投资", "开工时间",
                           "形象进度"])
    date_format = workbook.add_format({"num_format": "yyyy年m月d日"})
    period_end = dt.date(2022, month, 28)
    for n, project in enumerate(projects, start=1):
        plan = plans.get(project.pk) or project.total_investment / 5
        total = project.total_investment
        last = earlier.get(project.pk)
        if last is None:
            ytd = min(plan * Decimal("0.3"), total * Decimal("0.2")).quantize(Decimal("1"))
            cumulative = ytd * 2 if ytd * 2 <= total else ytd
        else:
            last_ytd, last_cumulative = last
            step = min(plan * Decimal("0.05"), max(total - last_cumulative, Decimal(0))).quantize(Decimal("1"))
            ytd, cumulative = last_ytd + step, max(last_cumulative + step, last_ytd + step)
        start = project.actual_start_date if project.actual_start_date and project.actual_start_date <= period_end \
            else dt.date(2022, 1, 15)
        row = n + 2
        sheet.write_number(row, 0, n)
        sheet.write_string(row, 1, project.code or "")
        sheet.write_string(row, 2, project.name)
        sheet.write_number(row, 3, float(ytd))
        sheet.write_number(row, 4, float(cumulative))
        sheet.write_datetime(row, 5, dt.datetime.combine(start, dt.time()), date_format)
        sheet.write_string(row, 6, "主体施工")
    workbook.close()
    return buffer.getvalue()


def project_list(rows: int) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["序号", "项目名称", "建设性质", "总投资(亿元)", "2022年计划投资(亿元)", "开工时间",
                           "建设内容"])
    for n in range(1, rows + 1):
        sheet.write_row(n, 0, [n, f"基准测试新项目{n:05d}", "新建" if n % 3 else "续建", 1 + n % 50 / 10,
                               0.2 + n % 7 / 10, "2022-03-01" if n % 2 else "", "厂房及配套设施"])
    workbook.close()
    return buffer.getvalue()


def inner(rows: int) -> None:
    """Runs inside the benchmark database's environment; prints one line per measurement."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faims.settings")
    django.setup()
    from django.db.models import Max

    from faims.core.commandline import acting_user
    from faims.imports import services
    from faims.projects.models import AnnualPlan, Project
    from faims.reporting.models import MonthlyReport

    user = acting_user(None)
    due = list(Project.objects.filter(annual_plans__year=2022).exclude(status="withdrawn").order_by("pk")[:rows])
    plans = dict(AnnualPlan.objects.filter(year=2022, project__in=[p.pk for p in due])
                 .values_list("project_id", "planned_investment"))
    # The month after the last one the registry holds reports of (June on a registry without reports),
    # so that every row of the sheet is a new report.
    month = (MonthlyReport.objects.filter(period__year=2022).aggregate(m=Max("period__month"))["m"] or 5) + 1
    earlier = {}
    for project_id, ytd, cumulative in (MonthlyReport.objects.filter(period__year=2022, ytd_investment__isnull=False,
                                                                     cumulative_investment__isnull=False)
                                        .order_by("project", "period__month")
                                        .values_list("project_id", "ytd_investment", "cumulative_investment")):
        earlier[project_id] = (ytd, cumulative)
    print(f"period 2022-{month:02d}", flush=True)

    def timed(label, kind, content, commit, **fields):
        started = time.monotonic()
        batch = services.create_batch(acting_user=user, kind=kind, file_name=f"{label}.xlsx", content=content,
                                      **fields)
        plan = services.commit(batch, acting_user=user) if commit else services.preview(batch)
        seconds = time.monotonic() - started
        assert plan.ok, plan.as_text()[-2000:]
        print(f"{label}: {seconds:.1f} s ({plan.counts()})", flush=True)

    small = progress_sheet(due[:1000], plans, month, earlier)
    timed("dry run, 1,000-row progress sheet", "reports", small, False, year=2022, month=month)
    big = progress_sheet(due, plans, month, earlier)
    timed(f"import, {len(due):,}-row progress sheet", "reports", big, True, year=2022, month=month)
    timed(f"import, {rows:,}-row project list (new projects)", "projects", project_list(rows), True, year=2022,
          options={"region": "320213", "library": "基准测试项目库"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        return inner(args.rows)
    sys.path.insert(0, str(Path(__file__).parent))
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        with tempfile.TemporaryDirectory(prefix="faims-bench-") as tmp:
            env = fresh_database(backend, Path(tmp), DEFAULT_POSTGRES)
            subprocess.run([FAIMS, "load_demo", "--projects", str(max(args.rows, 720))], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            print(f"== {backend}", flush=True)
            subprocess.run([PYTHON, __file__, "--inner", "--rows", str(args.rows)], env=env, check=True)


if __name__ == "__main__":
    sys.exit(main())
