from django.contrib import admin

from trygghem.episodes.models import EndReason, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin[Program]):
    list_display = ["name", "code", "max_days", "follow_up_after_days", "active"]
    filter_horizontal = ["teams"]


@admin.register(EndReason)
class EndReasonAdmin(admin.ModelAdmin[EndReason]):
    list_display = ["name", "code", "stage", "is_handover", "order", "active"]
    list_filter = ["stage", "active"]
