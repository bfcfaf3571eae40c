"""The report settings row (break-even 30 a month, seed 002; liability from day 3) and the
source municipality's program fees (Hofors brochure, seed 004)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

PROGRAM_FEES = [
    # program code, fee rule code
    ("trygg_hemgang", "trygg_hemgang"),
    ("trygg_hemma", "trygg_hemgang"),
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("reports", "ReportSettings").objects.get_or_create(singleton=True)
    program = apps.get_model("episodes", "Program")
    fee_rule = apps.get_model("fees", "FeeRule")
    program_fee = apps.get_model("reports", "ProgramFee")
    for program_code, rule_code in PROGRAM_FEES:
        found = program.objects.filter(code=program_code).first()
        rule = fee_rule.objects.filter(code=rule_code).first()
        if found is not None and rule is not None:
            program_fee.objects.get_or_create(program=found, defaults={"fee_rule": rule})


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("reports", "ProgramFee").objects.filter(
        program__code__in=[code for code, _rule in PROGRAM_FEES]
    ).delete()
    apps.get_model("reports", "ReportSettings").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("episodes", "0002_reference_data"),
        ("fees", "0002_source_municipality_fees"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
