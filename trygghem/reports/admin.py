from django.contrib import admin
from django.http import HttpRequest

from trygghem.reports.models import ProgramFee, ReportSettings, RoleCost, TeamCapacity


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin[ReportSettings]):
    list_display = ["__str__", "break_even_per_month", "liability_from_day"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ReportSettings.objects.exists()

    def has_delete_permission(
        self, request: HttpRequest, obj: ReportSettings | None = None
    ) -> bool:
        return False


@admin.register(TeamCapacity)
class TeamCapacityAdmin(admin.ModelAdmin[TeamCapacity]):
    list_display = ["team", "places"]


@admin.register(ProgramFee)
class ProgramFeeAdmin(admin.ModelAdmin[ProgramFee]):
    list_display = ["program", "fee_rule"]


@admin.register(RoleCost)
class RoleCostAdmin(admin.ModelAdmin[RoleCost]):
    list_display = ["role", "cost_per_hour"]
