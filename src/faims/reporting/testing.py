"""Builders of monthly-report test data, for the reporting, import, reminder and page tests.

`new_report` gives an unsaved report for the services to file; `make_report` stores one directly
(no rules, no change log) in any workflow state, for tests that need reports to exist.
Defaults describe a project under construction since October 2021, so a report with amounts passes
the start rules.
"""
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from faims.projects.choices import LifecycleStatus

from .choices import ReportStatus, StartStatus
from .models import MonthlyReport, ReportingPeriod, default_deadline

START_DATE = dt.date(2021, 10, 1)

# The smallest files the attachment check recognises by their first bytes.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"\x00" * 32


def make_period(year: int = 2022, month: int = 6, **fields) -> ReportingPeriod:
    """The period, created with the default deadline (or the fields given) when missing."""
    fields.setdefault("deadline", default_deadline(year, month))
    period, _ = ReportingPeriod.objects.get_or_create(year=year, month=month, defaults=fields)
    return period


def report_fields(**fields) -> dict:
    values = {
        "start_status": StartStatus.STARTED,
        "actual_start_date": START_DATE,
        "construction_status": LifecycleStatus.CONSTRUCTION,
    }
    values.update(fields)
    for name in ("month_investment", "ytd_investment", "cumulative_investment"):
        if isinstance(values.get(name), int | str):
            values[name] = Decimal(values[name])
    return values


def new_report(project, year: int = 2022, month: int = 6, **fields) -> MonthlyReport:
    """An unsaved report of the project and period; amounts may be given as int ("ytd_investment=1200")."""
    return MonthlyReport(project=project, period=make_period(year, month), **report_fields(**fields))


def make_report(project, year: int = 2022, month: int = 6, *, status: str = ReportStatus.DRAFT,
                filed_at: dt.datetime | None = None, user=None, **fields) -> MonthlyReport:
    """A stored report in `status`; a submitted, returned or accepted one was first filed at `filed_at` (now)."""
    report = new_report(project, year, month, status=status, **fields)
    if status != ReportStatus.DRAFT:
        filed_at = filed_at or timezone.now()
        report.first_submitted_at = report.first_submitted_at or filed_at
        report.submitted_at = report.submitted_at or filed_at
        report.submitted_by = report.submitted_by or user
    if status in (ReportStatus.RETURNED, ReportStatus.ACCEPTED):
        report.reviewed_at = report.reviewed_at or filed_at
    report.save()
    return report
