"""Reference data with the source municipality's defaults (Hofors brochure, SKL guide)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

PROGRAMS = [
    # code, name, max days, follow-up after days
    ("trygg_hemgang", "Trygg hemgång", 14, 5),
    ("trygg_hemma", "Trygg hemma", 28, 7),
    ("ihr", "Intensiv hemrehabilitering (IHR)", 70, 14),
]
END_REASONS = [
    # code, name, stage, is_handover, order
    ("handover", "Överlämnad till ordinarie hemtjänst", "episode", True, 1),
    ("no_further_need", "Inget fortsatt behov", "episode", False, 2),
    ("readmitted", "Återinskriven på sjukhus", "episode", False, 3),
    ("declined", "Avböjt fortsatt insats", "episode", False, 4),
    ("deceased", "Avliden", "episode", False, 5),
    ("moved", "Flyttat", "episode", False, 6),
    ("triage_green", "Grön triagering: inget behov av insatsen", "referral", False, 1),
    ("excluded", "Uppfyller exklusionskriterium", "referral", False, 2),
    ("declined_offer", "Personen tackade nej", "referral", False, 3),
    ("other_service", "Annan insats bättre lämpad", "referral", False, 4),
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    program = apps.get_model("episodes", "Program")
    end_reason = apps.get_model("episodes", "EndReason")
    for code, name, max_days, follow_up in PROGRAMS:
        program.objects.get_or_create(
            code=code, defaults={"name": name, "max_days": max_days, "follow_up_after_days": follow_up}
        )
    for code, name, stage, is_handover, order in END_REASONS:
        end_reason.objects.get_or_create(
            code=code,
            defaults={"name": name, "stage": stage, "is_handover": is_handover, "order": order},
        )


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("episodes", "Program").objects.filter(code__in=[p[0] for p in PROGRAMS]).delete()
    apps.get_model("episodes", "EndReason").objects.filter(
        code__in=[r[0] for r in END_REASONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("episodes", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
