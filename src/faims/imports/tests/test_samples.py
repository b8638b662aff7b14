"""The two sample sheets, imported as the 2022 project list and as the 2022-03 reports, give the README's figures."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q, Sum

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent
from faims.imports import services
from faims.imports.models import BatchStatus, ImportKind
from faims.projects.choices import StartKind
from faims.projects.models import AnnualPlan, Library, Project
from faims.reporting.models import MonthlyReport

SAMPLES = ["progress-2022-03-wanyuan.xlsx", "progress-2022-03-plain.csv"]


def run(user, kind, name, content, *, year=2022, month=None, **options):
    batch = services.create_batch(acting_user=user, kind=kind, file_name=name, content=content, year=year,
                                  month=month, options=options)
    preview = services.preview(batch)
    return batch, preview, services.commit(batch, acting_user=user)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_gives_the_readme_figures(world, liangxi, sample, name):
    admin = world.users["admin"]
    _batch, preview, plan = run(admin, ImportKind.PROJECTS, name, sample(name), region="320213",
                                library="梁溪区重大项目")
    assert plan.ok, plan.as_text()
    assert preview.counts()["new"] == 30
    _batch, preview, plan = run(admin, ImportKind.REPORTS, name, sample(name), month=3)
    assert plan.ok, plan.as_text()
    assert plan.counts()["new"] == 30

    projects = Project.objects.filter(region=liangxi)
    plans = AnnualPlan.objects.filter(project__in=projects, year=2022)
    reports = MonthlyReport.objects.filter(project__in=projects, period__year=2022, period__month=3)
    end = dt.date(2022, 3, 31)
    started = Q(actual_start_date__lte=end)
    assert projects.count() == 30
    assert plans.filter(start_kind=StartKind.NEW).count() == 12
    assert plans.filter(start_kind=StartKind.CONTINUING).count() == 18
    new_ids = plans.filter(start_kind=StartKind.NEW).values("project")
    continuing_ids = plans.filter(start_kind=StartKind.CONTINUING).values("project")
    assert projects.filter(started, pk__in=new_ids).count() == 7
    assert projects.exclude(started).count() == 6
    assert projects.exclude(started).filter(pk__in=continuing_ids).count() == 1
    assert reports.filter(started).count() == 24
    assert projects.aggregate(s=Sum("total_investment"))["s"] == Decimal("13911787")
    assert plans.aggregate(s=Sum("planned_investment"))["s"] == Decimal("4485805")
    assert reports.aggregate(s=Sum("ytd_investment"))["s"] == Decimal("736244")
    assert Library.objects.get(name="梁溪区重大项目", year=2022).memberships.count() == 30
    assert AuditEvent.objects.filter(kind=AuditKind.IMPORT).count() == 2


@pytest.mark.parametrize("name", SAMPLES)
def test_the_same_file_twice_changes_nothing(world, liangxi, sample, name):
    admin = world.users["admin"]
    run(admin, ImportKind.PROJECTS, name, sample(name), region="320213")
    run(admin, ImportKind.REPORTS, name, sample(name), month=3)
    batch, preview, plan = run(admin, ImportKind.PROJECTS, name, sample(name), region="320213")
    assert preview.counts()["unchanged"] == 30 and preview.changed == 0
    assert "无变化" in preview.as_text()
    batch, preview, plan = run(admin, ImportKind.REPORTS, name, sample(name), month=3)
    assert preview.counts()["unchanged"] == 30, preview.as_text()
    assert batch.status == BatchStatus.COMMITTED


def test_both_layouts_store_the_same_figures(world, liangxi, sample):
    admin = world.users["admin"]
    run(admin, ImportKind.PROJECTS, SAMPLES[0], sample(SAMPLES[0]), region="320213")
    run(admin, ImportKind.REPORTS, SAMPLES[0], sample(SAMPLES[0]), month=3)
    _batch, preview, _plan = run(admin, ImportKind.PROJECTS, SAMPLES[1], sample(SAMPLES[1]), region="320213")
    assert preview.changed == 0, preview.as_text()
    _batch, preview, _plan = run(admin, ImportKind.REPORTS, SAMPLES[1], sample(SAMPLES[1]), month=3)
    assert preview.changed == 0, preview.as_text()
