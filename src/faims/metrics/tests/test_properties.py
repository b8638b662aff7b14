"""Grouped sums and counts add up to the ungrouped total (library groups may repeat a project), and the stored
facts give the live query's figures."""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faims.core.testing import make_project
from faims.metrics import facts
from faims.metrics.engine import GROUPINGS, evaluate
from faims.projects.choices import Category, StartKind
from faims.projects.models import AnnualPlan, Library, Membership, Project
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_period, make_report

ADDITIVE = ["project_count", "new_count", "continuing_count", "total_investment", "annual_plan", "ytd_investment",
            "new_started_count", "continuing_not_started_count", "not_started_count", "behind_schedule_count",
            "over_half_count", "missing_report_count", "completed_count", "in_production_count", "filed_10yi_count"]

money = st.integers(min_value=0, max_value=2_000_000).map(Decimal)
project = st.fixed_dictionaries({
    "region": st.sampled_from(["xinwu", "jiangyin"]),
    "category": st.sampled_from([Category.INDUSTRY, Category.LIVELIHOOD, Category.ECOLOGY]),
    "total": money,
    "plan": st.one_of(st.none(), money),
    "kind": st.sampled_from(StartKind.values),
    "start_month": st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
    "report": st.one_of(st.none(), st.sampled_from([ReportStatus.SUBMITTED, ReportStatus.ACCEPTED,
                                                    ReportStatus.DRAFT])),
    "ytd": money,
    # A report three months earlier (the forecast's run-rate window), at this share of the year to date.
    "earlier": st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
    "libraries": st.sets(st.integers(min_value=0, max_value=2)),
    "leader": st.booleans(),
})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(project, max_size=6), month=st.integers(min_value=1, max_value=12))
def test_groups_add_up_to_the_total(world, specs, month):
    with transaction.atomic():
        period = make_period(2022, month)
        libraries = [world.library] + [Library.objects.get_or_create(name=f"库{i}", year=2022, level="municipal")[0]
                                       for i in (1, 2)]
        for spec in specs:
            p = make_project(getattr(world, spec["region"]), total=spec["total"], category=spec["category"],
                             leader=world.leader if spec["leader"] else None,
                             actual_start_date=dt.date(2022, spec["start_month"], 1) if spec["start_month"] else None)
            if spec["plan"] is not None:
                AnnualPlan.objects.create(project=p, year=2022, planned_investment=spec["plan"],
                                          start_kind=spec["kind"])
            for i in spec["libraries"]:
                Membership.objects.create(project=p, library=libraries[i])
            if spec["report"]:
                make_report(p, period.year, period.month, status=spec["report"], ytd_investment=spec["ytd"])
            if spec["earlier"] is not None and month > 3:
                make_report(p, 2022, month - 3, status=ReportStatus.ACCEPTED,
                            ytd_investment=spec["ytd"] * spec["earlier"] // 100)
        projects = Project.objects.all()
        total = evaluate(projects, 2022, month, keys=ADDITIVE).total.values
        for by in ("region", "category", "tier", "leader", "department"):
            rows = evaluate(projects, 2022, month, keys=ADDITIVE, by=by).rows
            for key in ADDITIVE:
                assert sum(row.values[key] for row in rows) == total[key], (by, key)
        rows = evaluate(projects, 2022, month, keys=ADDITIVE, by="library").rows
        for key in ADDITIVE:
            assert sum(row.values[key] for row in rows) >= total[key], ("library", key)
        # The forecast is additive up to each group's rounding to the cent.
        forecast = evaluate(projects, 2022, month, keys=["forecast_year_end"], by="region")
        assert abs(sum(r.values["forecast_year_end"] for r in forecast.rows) - forecast.total.values[
            "forecast_year_end"]) <= Decimal("0.01") * len(forecast.rows)
        # The same figures from the stored facts as from the live query, for every grouping.
        live = {by: evaluate(projects, 2022, month, by=by) for by in (None, *GROUPINGS)}
        facts.rebuild_all()
        for by, result in live.items():
            built = evaluate(projects, 2022, month, by=by)
            assert built.total.values == result.total.values, by
            assert [(r.key, r.values) for r in built.rows] == [(r.key, r.values) for r in result.rows], by
        transaction.set_rollback(True)
