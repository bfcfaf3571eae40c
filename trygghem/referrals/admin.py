from django.contrib import admin

from trygghem.referrals.models import ExclusionCriterion


@admin.register(ExclusionCriterion)
class ExclusionCriterionAdmin(admin.ModelAdmin[ExclusionCriterion]):
    list_display = ["name", "order", "active"]
