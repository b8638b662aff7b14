"""The escalation ladder of the city's major-project mechanism, as the policy sets it.

Level 1 the month's 市重大项目“双专班” special meeting (a problem past its deadline goes to the next
one), level 2 the executive vice mayor's bimonthly dispatch (30 more days), level 3 the mayor's
quarterly promotion meeting (60 more days). The city admin may change names and waiting days
later; running this again changes nothing it finds.
"""
from django.db import migrations

LEVELS = [
    (1, "市重大项目“双专班”月度专题会议", 0),
    (2, "常务副市长双月调度会", 30),
    (3, "市长季度推进会", 60),
]


def create_levels(apps, schema_editor):
    EscalationLevel = apps.get_model("problems", "EscalationLevel")
    for order, name, wait_days in LEVELS:
        EscalationLevel.objects.using(schema_editor.connection.alias).get_or_create(
            order=order, defaults={"name": name, "wait_days": wait_days})


def delete_levels(apps, schema_editor):
    EscalationLevel = apps.get_model("problems", "EscalationLevel")
    EscalationLevel.objects.using(schema_editor.connection.alias).filter(
        order__in=[order for order, *_ in LEVELS]).delete()


class Migration(migrations.Migration):

    dependencies = [("problems", "0001_initial")]

    operations = [migrations.RunPython(create_levels, delete_levels)]
