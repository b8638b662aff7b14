from django.db import migrations


def forwards(apps, schema_editor):
    from faims.assessment.seed import seed

    seed(apps.get_model("assessment", "AssessmentScheme"), apps.get_model("assessment", "AssessmentIndicator"),
         apps.get_model("assessment", "AssessmentFlag"))


def backwards(apps, schema_editor):
    from faims.assessment.seed import SCHEMES, YEAR

    scheme = apps.get_model("assessment", "AssessmentScheme")
    for spec in SCHEMES:
        scheme.objects.filter(kind=spec["kind"], subject=spec["subject"], year=YEAR, name=spec["name"]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
