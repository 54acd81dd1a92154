"""The periods' table takes the plans app's name; its content type (and so its permissions) follows."""

from django.db import migrations


def _content_type_to(app_label: str, other: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=app_label, model="reportingperiod").exists():
            ContentType.objects.filter(app_label=other, model="reportingperiod").update(app_label=app_label)

    return move


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("plans", "0002_reportingperiod_moves_from_reports"),
        ("reports", "0003_reportingperiod_moves_to_plans"),
    ]

    operations = [
        migrations.AlterModelTable(name="reportingperiod", table=None),
        migrations.RunPython(_content_type_to("plans", "reports"), _content_type_to("reports", "plans")),
    ]
