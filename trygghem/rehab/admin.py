from django.contrib import admin

from trygghem.rehab.models import DeviceType


@admin.register(DeviceType)
class DeviceTypeAdmin(admin.ModelAdmin[DeviceType]):
    list_display = ["name", "follow_up_after_days", "order", "active"]
