from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from trygghem.people import rules
from trygghem.people.models import BirthDayRange

# People's records are not in the admin: every read of them goes through an access gate.


class BirthDayRangeForm(forms.ModelForm[BirthDayRange]):
    class Meta:
        model = BirthDayRange
        fields = ["first_day", "last_day", "case_officer", "phone"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first is None or last is None:
            return data
        others = list(BirthDayRange.objects.exclude(pk=self.instance.pk))
        candidate = BirthDayRange(first_day=first, last_day=last)
        if rules.overlapping_ranges([*others, candidate]):
            raise forms.ValidationError(_("The days overlap another range."))
        return data


@admin.register(BirthDayRange)
class BirthDayRangeAdmin(admin.ModelAdmin[BirthDayRange]):
    form = BirthDayRangeForm
    list_display = ["first_day", "last_day", "case_officer", "phone"]
    autocomplete_fields = ["case_officer"]
