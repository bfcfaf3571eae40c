"""The common assistive devices of the first days at home (Hofors brochure: bed, lift; the
primary needs: toilet, getting in and out of bed, moving indoors). Editable in the admin."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

DEVICE_TYPES = [
    "Rollator",
    "Duschpall",
    "Toalettförhöjning",
    "Griptång",
    "Höj- och sänkbar säng",
    "Lift",
    "Rullstol",
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    DeviceType = apps.get_model("rehab", "DeviceType")
    for order, name in enumerate(DEVICE_TYPES):
        DeviceType.objects.get_or_create(name=name, defaults={"order": order})


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("rehab", "DeviceType").objects.filter(name__in=DEVICE_TYPES).delete()


class Migration(migrations.Migration):
    dependencies = [("rehab", "0001_rehab_plan_and_assistive_devices")]

    operations = [migrations.RunPython(forwards, backwards)]
