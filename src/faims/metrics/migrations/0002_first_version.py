from django.db import migrations

FIRST_THRESHOLDS = {"behind_schedule_points": "10", "over_half_percent": "50", "stats_entry_min_wanyuan": "500"}


def create_first_version(apps, schema_editor):
    Version = apps.get_model("metrics", "KpiDefinitionVersion")
    Version.objects.get_or_create(number=1, defaults={"thresholds": FIRST_THRESHOLDS, "note": "初始口径"})


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]
    operations = [migrations.RunPython(create_first_version, migrations.RunPython.noop)]
