"""Birth-day ranges for choosing the case officer (Hofors brochure: 1-11, 12-21, 22-31)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

RANGES = [(1, 11, "0290-77 16 75"), (12, 21, "0290-77 16 73"), (22, 31, "0290-77 16 72")]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    day_range = apps.get_model("people", "BirthDayRange")
    for first, last, phone in RANGES:
        day_range.objects.get_or_create(first_day=first, last_day=last, defaults={"phone": phone})


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    day_range = apps.get_model("people", "BirthDayRange")
    for first, last, _phone in RANGES:
        day_range.objects.filter(first_day=first, last_day=last).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
