from django.contrib import admin

from trygghem.fees.models import FeeRule, MaxFee


@admin.register(MaxFee)
class MaxFeeAdmin(admin.ModelAdmin[MaxFee]):
    list_display = ["year", "monthly_max"]


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin[FeeRule]):
    list_display = ["name", "code", "kind", "share_denominator", "food_per_day", "active"]
