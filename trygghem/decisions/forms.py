import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
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


class EpisodeChoiceField(forms.ModelChoiceField[Episode]):
    def label_from_instance(self, obj: Episode) -> str:
        return gettext("%(program)s, ended %(day)s (%(reason)s)") % {
            "program": obj.program.name,
            "day": date_format(obj.ended_on, "SHORT_DATE_FORMAT") if obj.ended_on else "",
            "reason": obj.end_reason.name if obj.end_reason else "",
        }


def _hours_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Granted hours per week"),
        min_value=Decimal(0),
        max_value=Decimal(168),
        max_digits=5,
        decimal_places=1,
        help_text=_("The hours of home care a week the decision grants; 0 for none."),
    )


class GrantHomeCareDecisionForm(Form):
    """An ordinary home-care decision (SoL 4 kap. 1 §): hours a week from a day, until further
    notice unless an end is given. Overlaps are refused by the service."""

    hours_per_week = _hours_field()
    start_on = forms.DateField(label=_("Start"), widget=DateInput())
    end_on = forms.DateField(
        label=_("End"),
        widget=DateInput(),
        required=False,
        help_text=_("The last day of the decision; leave empty for until further notice."),
    )
    episode = EpisodeChoiceField(
        label=_("Follows from the episode"),
        queryset=Episode.objects.none(),
        to_field_name="external_id",
        required=False,
        help_text=_("The reablement episode the home care follows, if any."),
    )

    def __init__(self, *args: Any, episodes: QuerySet[Episode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["episode"]
        assert isinstance(field, EpisodeChoiceField)  # noqa: S101 - declared above
        field.queryset = episodes

    @staticmethod
    def initial_for(*, episodes: QuerySet[Episode], today: datetime.date) -> dict[str, Any]:
        """From the end of the person's latest ended episode, which it then follows from."""
        latest = episodes.order_by("-ended_on").first()
        if latest is None or latest.ended_on is None:
            return {"start_on": today}
        return {"start_on": latest.ended_on, "episode": latest.external_id}


class EndHomeCareDecisionForm(Form):
    end_on = forms.DateField(
        label=_("Last day"), widget=DateInput(), help_text=_("The last day of home care.")
    )


class ReplaceHomeCareDecisionForm(Form):
    """New hours from a day; the decision in force ends the day before."""

    hours_per_week = _hours_field()
    from_on = forms.DateField(
        label=_("From"), widget=DateInput(), help_text=_("The first day of the new hours.")
    )
