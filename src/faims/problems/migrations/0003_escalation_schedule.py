"""The daily escalation job (faims.problems.services.run_escalation) at 06:30 local time, before the
working day, so that a meeting's agenda shows the problems that fell due overnight.

A data migration, so that every database brought up to date with `faims migrate` runs the job
without a further set-up step; found by name, so running it again creates nothing twice.
"""
import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import migrations

NAME = "problems.escalate"
FUNC = "faims.problems.services.run_escalation"
RUN_AT = dt.time(6, 30)


def next_run(now=None):
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    now = (now or dt.datetime.now(tz=zone)).astimezone(zone)
    run = dt.datetime.combine(now.date(), RUN_AT, tzinfo=zone)
    return run if run > now else run + dt.timedelta(days=1)


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.using(schema_editor.connection.alias).get_or_create(
        name=NAME,
        defaults={"func": FUNC, "schedule_type": "D", "repeats": -1, "next_run": next_run()},
    )


def delete_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.using(schema_editor.connection.alias).filter(name=NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("problems", "0002_escalation_levels"),
        ("django_q", "0017_task_cluster_alter"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
