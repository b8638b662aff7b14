import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_period, make_report

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_city_admin_locks_a_period_from_the_console(world):
    period = make_period(2022, 6)
    assert "已锁定" in run("lock_period", "--period", "2022-06", "--user", "admin")
    period.refresh_from_db()
    assert period.is_locked
    assert AuditEvent.objects.filter(kind=AuditKind.LOCK).exists()


def test_only_the_city_admin_locks(world):
    make_period(2022, 6)
    with pytest.raises(CommandError):
        run("lock_period", "--period", "2022-06", "--user", "xinwu")


@pytest.mark.parametrize("period", ["2022-13", "June", "2031-01"])
def test_a_bad_or_unknown_period_is_named(world, period):
    with pytest.raises(CommandError, match="报送期|YYYY-MM|月份"):
        run("lock_period", "--period", period)


def test_period_status_counts_within_the_users_scope(world):
    make_period(2022, 6)
    filed = dt.datetime(2022, 7, 10, 9, tzinfo=dt.UTC)
    make_report(world.projects["xinwu"], 2022, 6, status=ReportStatus.SUBMITTED, filed_at=filed)
    everything = run("period_status", "--period", "2022-06")
    assert "新吴区" in everything and "江阴市" in everything
    own = run("period_status", "--period", "2022-06", "--user", "xinwu")
    assert "新吴区" in own and "江阴市" not in own
    assert "100.0%" in own
