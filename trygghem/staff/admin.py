from django.contrib import admin

from trygghem.staff.models import Staff, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "kind", "phone"]
    list_filter = ["kind"]
    fields = ["name", "kind", "phone", "phone_hours", "office_latitude", "office_longitude"]
    search_fields = ["name"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin[Staff]):
    list_display = ["full_name", "role", "phone"]
    list_filter = ["role", "teams"]
    search_fields = ["user__first_name", "user__last_name", "user__username"]
    filter_horizontal = ["teams"]
    autocomplete_fields = ["user"]
