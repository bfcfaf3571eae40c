"""Default exclusion criteria (SKL guide 'Trygg hemgång')."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CRITERIA = [
    ("Palliativ fas", 1),
    ("Omfattande psykiatrisk diagnos", 2),
    ("Pågående allvarligt missbruk", 3),
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    criterion = apps.get_model("referrals", "ExclusionCriterion")
    for name, order in CRITERIA:
        criterion.objects.get_or_create(name=name, defaults={"order": order})


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("referrals", "ExclusionCriterion").objects.filter(
        name__in=[c[0] for c in CRITERIA]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
