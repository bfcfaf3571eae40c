from django.contrib import admin
from django.http import HttpRequest

from trygghem.assessments.models import Instrument

# Instruments are versioned data: the definition is read-only here (a change is a new version
# written by a migration); which teams hold a licence (FIM) and whether it is in use are not.


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin[Instrument]):
    list_display = ["name", "code", "version", "requires_licence", "active"]
    readonly_fields = ["code", "version", "definition"]
    filter_horizontal = ["licensed_teams"]
    fields = [
        "name",
        "code",
        "version",
        "requires_licence",
        "licensed_teams",
        "active",
        "definition",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Instrument | None = None) -> bool:
        return False
