"""Plausible hourly costs per role, wages and overheads included (2026 level); the
municipality changes them in the admin."""

from decimal import Decimal

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

ROLE_COSTS = [
    ("care_worker", 420),
    ("rehab_assistant", 450),
    ("ot", 520),
    ("pt", 520),
    ("nurse", 560),
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    role_cost = apps.get_model("reports", "RoleCost")
    for role, cost in ROLE_COSTS:
        role_cost.objects.get_or_create(role=role, defaults={"cost_per_hour": Decimal(cost)})


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("reports", "RoleCost").objects.filter(
        role__in=[role for role, _cost in ROLE_COSTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_role_costs_and_economics")]
    operations = [migrations.RunPython(forwards, backwards)]
