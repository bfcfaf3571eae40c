"""The dashboard's filter (GET) and the capacity planner's inputs."""

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trygghem.core.forms import DateInput, Form
from trygghem.episodes.models import Program
from trygghem.referrals.models import Referral
from trygghem.reports.selectors import Compare, ReportFilter
from trygghem.staff.models import Staff, Team

DEFAULT_MONTHS = 18  # the demo: 18 months of inflow against break-even
MAX_DAYS = 366 * 10


def default_filter(today: datetime.date) -> ReportFilter:
    """The last 18 months, this one included."""
    first = today.replace(day=1)
    for _month in range(DEFAULT_MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return ReportFilter(from_on=first, to_on=today)


class ReportFilterForm(Form):
    from_on = forms.DateField(label=_("From"), widget=DateInput())
    to_on = forms.DateField(label=_("To"), widget=DateInput())
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All programs"),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), to_field_name="external_id", required=False
    )
    triage = forms.ChoiceField(
        label=_("Triage"),
        choices=[("", _("All triage colours")), *Referral.Triage.choices],
        required=False,
    )
    source = forms.ChoiceField(
        label=_("Referral source"),
        choices=[("", _("All sources")), *Referral.Source.choices],
        required=False,
    )

    def __init__(self, data: Any = None, *, staff: Staff, today: datetime.date) -> None:
        self.default = default_filter(today)
        super().__init__(
            data, initial={"from_on": self.default.from_on, "to_on": self.default.to_on}
        )
        team_field = cast("forms.ModelChoiceField[Team]", self.fields["team"])
        team_field.queryset = staff.teams.order_by("name")
        team_field.empty_label = _("All your teams")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        from_on, to_on = data.get("from_on"), data.get("to_on")
        if from_on and to_on:
            if to_on < from_on:
                self.add_error("to_on", ValidationError(_("End after the start."), code="order"))
            elif (to_on - from_on).days > MAX_DAYS:
                self.add_error(
                    "to_on", ValidationError(_("Choose at most ten years."), code="too_long")
                )
        return data

    def filters(self) -> ReportFilter | None:
        """The chosen filter; the default period when nothing is chosen; None when invalid."""
        if not self.is_bound:
            return self.default
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return ReportFilter(
            from_on=data["from_on"],
            to_on=data["to_on"],
            program=data["program"],
            team=data["team"],
            triage=data["triage"],
            source=data["source"],
        )


class CapacityForm(Form):
    places = forms.IntegerField(label=_("Concurrent places"), min_value=1, max_value=1000)
    mean_length_days = forms.FloatField(
        label=_("Average episode length (days)"), min_value=1, max_value=365
    )
    arrivals_per_month = forms.FloatField(
        label=_("Inflow: referrals wanting a place per month"), min_value=0, max_value=10000
    )


class ComparisonForm(ReportFilterForm):
    compare = forms.ChoiceField(
        label=_("Compare with"),
        choices=[
            (Compare.NOT_ENROLLED, _("Referred but not enrolled (closed)")),
            (Compare.BEFORE, _("The same length of time before the period")),
        ],
        required=False,
    )

    def compare_with(self) -> str:
        if self.is_bound and self.is_valid() and self.cleaned_data["compare"]:
            return str(self.cleaned_data["compare"])
        return Compare.NOT_ENROLLED
