"""The standard instruments, version 1. Labels are English msgids (marked with gettext_noop so
the catalogue picks them up) and are translated when shown. A changed instrument is a new
version in a new migration; assessments keep the version they were made with."""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils.translation import gettext_noop as _

KATZ_ITEMS = [
    ("bathing", _("Bathing")),
    ("dressing", _("Dressing")),
    ("toileting", _("Going to the toilet")),
    ("transferring", _("Transferring")),
    ("continence", _("Continence")),
    ("feeding", _("Feeding")),
]
IADL_ITEMS = [
    ("cleaning", _("Cleaning")),
    ("shopping", _("Shopping")),
    ("transport", _("Transport")),
    ("cooking", _("Cooking")),
]
DICHOTOMOUS = [[0, _("Independent")], [1, _("Dependent")]]
FOUR_LEVELS = [
    [0, _("Independent without difficulty")],
    [1, _("Independent with difficulty")],
    [2, _("Partly dependent")],
    [3, _("Dependent")],
]
FIM_ITEMS = [
    ("eating", _("Eating"), "motor"),
    ("grooming", _("Grooming"), "motor"),
    ("bathing", _("Bathing"), "motor"),
    ("dressing_upper", _("Dressing, upper body"), "motor"),
    ("dressing_lower", _("Dressing, lower body"), "motor"),
    ("toileting", _("Toileting"), "motor"),
    ("bladder", _("Bladder management"), "motor"),
    ("bowel", _("Bowel management"), "motor"),
    ("transfer_bed", _("Transfer: bed, chair, wheelchair"), "motor"),
    ("transfer_toilet", _("Transfer: toilet"), "motor"),
    ("transfer_tub", _("Transfer: tub or shower"), "motor"),
    ("locomotion", _("Walk or wheelchair"), "motor"),
    ("stairs", _("Stairs"), "motor"),
    ("comprehension", _("Comprehension"), "cognitive"),
    ("expression", _("Expression"), "cognitive"),
    ("social", _("Social interaction"), "cognitive"),
    ("problem_solving", _("Problem solving"), "cognitive"),
    ("memory", _("Memory"), "cognitive"),
]


def _copm_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for n in range(1, 6):
        problem = f"problem_{n}"
        items.append(
            {"code": problem, "label": _("Problem %(number)s"), "number": n, "kind": "text",
             "max_length": 200, "required": n == 1}
        )
        for key, label in (
            ("importance", _("Importance of problem %(number)s")),
            ("performance", _("Performance of problem %(number)s")),
            ("satisfaction", _("Satisfaction with problem %(number)s")),
        ):
            items.append(
                {"code": f"{key}_{n}", "label": label, "number": n, "kind": "integer",
                 "min": 1, "max": 10, "with": problem}
            )
    return items


def _seconds(code: str, label: str, high: int, *, required: bool, unable: bool) -> dict[str, Any]:
    return {"code": code, "label": label, "kind": "seconds", "min": 0, "max": high,
            "required": required, "unable_allowed": unable}


INSTRUMENTS: list[dict[str, Any]] = [
    {
        "code": "katz_adl",
        "name": _("Katz ADL index"),
        "definition": {
            "scoring": "katz",
            "items": [
                {"code": code, "label": label, "kind": "choice", "choices": DICHOTOMOUS, "required": True}
                for code, label in KATZ_ITEMS
            ],
            "summary": [
                {"key": "dependent_count", "label": _("Activities with dependence"), "min": 0, "max": 6, "better": "lower"},
            ],
        },
    },
    {
        "code": "adl_staircase",
        "name": _("ADL staircase (Katz extended with I-ADL)"),
        "definition": {
            "scoring": "adl_staircase",
            # Sonn & Åsberg 1991: levels 2-3 (any help from another person) are dependence;
            # the step follows the hierarchy strictly (a pattern that breaks it has no step).
            "config": {
                "dependent_from_level": 2,
                "rule": "strict",
                "hierarchy": [code for code, _label in IADL_ITEMS + KATZ_ITEMS],
            },
            "items": [
                {"code": code, "label": label, "kind": "choice", "choices": FOUR_LEVELS, "required": True}
                for code, label in IADL_ITEMS + KATZ_ITEMS
            ],
            "summary": [
                {"key": "dependent_count", "label": _("Activities with dependence"), "min": 0, "max": 10, "better": "lower"},
                {"key": "sum_score", "label": _("Sum score"), "min": 0, "max": 30, "better": "lower"},
            ],
        },
    },
    {
        "code": "copm",
        "name": _("COPM"),
        "definition": {
            "scoring": "copm",
            "items": _copm_items(),
            "summary": [
                {"key": "performance", "label": _("Performance"), "min": 1, "max": 10, "better": "higher"},
                {"key": "satisfaction", "label": _("Satisfaction"), "min": 1, "max": 10, "better": "higher"},
            ],
        },
    },
    {
        "code": "safety_vas",
        "name": _("Perceived safety (VAS)"),
        "definition": {
            "scoring": "vas",
            "items": [
                {"code": "safety", "label": _("How safe do you feel at home?"), "kind": "integer",
                 "min": 0, "max": 100, "required": True},
            ],
            "summary": [
                {"key": "safety", "label": _("Perceived safety"), "min": 0, "max": 100, "better": "higher"},
            ],
        },
    },
    {
        "code": "sppb",
        "name": _("SPPB (Short Physical Performance Battery)"),
        "definition": {
            "scoring": "sppb",
            "items": [
                _seconds("side_by_side", _("Balance: side-by-side stand, seconds held"), 10, required=True, unable=False),
                _seconds("semi_tandem", _("Balance: semi-tandem stand, seconds held"), 10, required=False, unable=False),
                _seconds("tandem", _("Balance: tandem stand, seconds held"), 10, required=False, unable=False),
                _seconds("gait_4m", _("4 m gait, seconds"), 99, required=True, unable=True),
                _seconds("chair_stands", _("Five chair stands, seconds"), 300, required=True, unable=True),
            ],
            "summary": [
                {"key": "total", "label": _("SPPB total"), "min": 0, "max": 12, "better": "higher"},
            ],
        },
    },
    {
        "code": "fim",
        "name": _("FIM (Functional Independence Measure)"),
        "requires_licence": True,
        "definition": {
            "scoring": "fim",
            "items": [
                {"code": code, "label": label, "kind": "integer", "min": 1, "max": 7,
                 "required": True, "domain": domain}
                for code, label, domain in FIM_ITEMS
            ],
            "summary": [
                {"key": "total", "label": _("FIM total"), "min": 18, "max": 126, "better": "higher"},
            ],
        },
    },
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    instrument = apps.get_model("assessments", "Instrument")
    for spec in INSTRUMENTS:
        instrument.objects.get_or_create(
            code=spec["code"],
            version=1,
            defaults={
                "name": spec["name"],
                "definition": spec["definition"],
                "requires_licence": spec.get("requires_licence", False),
            },
        )


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("assessments", "Instrument").objects.filter(
        code__in=[spec["code"] for spec in INSTRUMENTS], version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
