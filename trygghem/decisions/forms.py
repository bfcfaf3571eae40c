import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygghem.core.forms import DateInput, Form
from trygghem.decisions.models import Decision
from trygghem.episodes.models import Episode, Program


class ProgramChoiceField(forms.ModelChoiceField[Program]):
    def label_from_instance(self, obj: Program) -> str:
        return gettext("%(program)s (at most %(days)d days)") % {
            "program": obj.name,
            "days": obj.max_days,
        }


class GrantDecisionForm(Form):
    """A time-limited decision under SoL 4 kap. 1 §. The length, the follow-up date and overlaps
    are checked by the service, so a refusal reads the same from the browser and the API."""

    program = ProgramChoiceField(
        label=_("Program"),
        queryset=Program.objects.filter(active=True),
        to_field_name="code",
        help_text=_("The decision may last at most the program's maximum number of days."),
    )
    start_on = forms.DateField(label=_("Start"), widget=DateInput())
    end_on = forms.DateField(
        label=_("End"), widget=DateInput(), help_text=_("The last day of the decision.")
    )
    follow_up_on = forms.DateField(label=_("Follow-up"), widget=DateInput())
    granted_services = forms.CharField(
        label=_("Granted services"), widget=forms.Textarea(attrs={"rows": 4})
    )

    @staticmethod
    def initial_for(*, episode: Episode, today: datetime.date) -> dict[str, Any]:
        """The episode's program, from the planned homecoming for as long as the program allows,
        followed up after the program's usual number of days."""
        program = episode.program
        start_on = episode.referral.planned_home_on or today
        end_on = start_on + datetime.timedelta(days=program.max_days - 1)
        follow_up_on = min(start_on + datetime.timedelta(days=program.follow_up_after_days), end_on)
        return {
            "program": program.code,
            "start_on": start_on,
            "end_on": end_on,
            "follow_up_on": follow_up_on,
        }


class AdjustDecisionForm(Form):
    """A new version of the decision in force: the program stays; period and services may change."""

    start_on = forms.DateField(label=_("Start"), widget=DateInput())
    end_on = forms.DateField(
        label=_("End"), widget=DateInput(), help_text=_("The last day of the decision.")
    )
    follow_up_on = forms.DateField(label=_("Follow-up"), widget=DateInput())
    granted_services = forms.CharField(
        label=_("Granted services"), widget=forms.Textarea(attrs={"rows": 4})
    )
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        help_text=_("Kept with the new version; the earlier version stays readable."),
    )

    @staticmethod
    def initial_for(*, decision: Decision) -> dict[str, Any]:
        return {
            "start_on": decision.start_on,
            "end_on": decision.end_on,
            "follow_up_on": decision.follow_up_on,
            "granted_services": decision.granted_services,
        }
