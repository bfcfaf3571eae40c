"""Maxtaxa per year and the source municipality's fee rules (Hofors brochure, seed 004)."""

from decimal import Decimal

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

MAX_FEES = [(2024, Decimal(2575)), (2025, Decimal(2642)), (2026, Decimal(2660))]
RULES = [
    # code, name, kind, share denominator, food per day
    ("trygg_hemgang", "Trygg hemgång", "day_share", 14, Decimal(0)),
    ("short_term", "Korttidsplats", "day_share", 9, Decimal(130)),
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    max_fee = apps.get_model("fees", "MaxFee")
    fee_rule = apps.get_model("fees", "FeeRule")
    for year, amount in MAX_FEES:
        max_fee.objects.get_or_create(year=year, defaults={"monthly_max": amount})
    for code, name, kind, denominator, food in RULES:
        fee_rule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "share_denominator": denominator,
                "food_per_day": food,
            },
        )


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("fees", "MaxFee").objects.filter(year__in=[y for y, _a in MAX_FEES]).delete()
    apps.get_model("fees", "FeeRule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_fee_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
