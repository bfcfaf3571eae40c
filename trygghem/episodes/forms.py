"""Forms for the episode's journey. Dates and states are checked by the services, so a refusal
reads the same from the browser and the API; the forms only ask for well-formed values."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygghem.core.forms import DateInput, DateTimeInput, Form
from trygghem.episodes.models import EndReason, Episode, FollowUp
from trygghem.episodes.services import ServiceDetails
from trygghem.people.selectors import responsible_case_officer
from trygghem.staff.models import Team

MAX_SERVICES = 5


class CloseReferralForm(Form):
    reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=EndReason.objects.filter(stage=EndReason.Stage.REFERRAL, active=True),
        to_field_name="code",
        widget=forms.RadioSelect,
    )
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HomecomingForm(Form):
    home_at = forms.DateTimeField(
        label=_("Came home"), widget=DateTimeInput(), help_text=_("Date and time.")
    )


class FollowUpForm(Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    mode = forms.ChoiceField(
        label=_("Meeting"), choices=FollowUp.Mode.choices, widget=forms.RadioSelect
    )
    participants = forms.MultipleChoiceField(
        label=_("Participants"),
        choices=FollowUp.Participant.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    manages_now = forms.CharField(
        label=_("What the person manages now"), widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=FollowUp.Outcome.choices, widget=forms.RadioSelect
    )


class EndEpisodeForm(Form):
    reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=EndReason.objects.filter(
            stage=EndReason.Stage.EPISODE, active=True, is_handover=False
        ),
        to_field_name="code",
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


_HANDOVER_REASONS = EndReason.objects.filter(
    stage=EndReason.Stage.EPISODE, active=True, is_handover=True
)


class HandOverForm(Form):
    """The implementation plan (genomförandeplan) ordinary home care takes over. With exactly
    one active handover reason there is nothing to choose, so the field is left out."""

    reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=_HANDOVER_REASONS,
        to_field_name="code",
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput())
    receiving_team = forms.ModelChoiceField(
        label=_("Receiving home-care group"),
        queryset=Team.objects.filter(kind=Team.Kind.HOME_CARE),
        to_field_name="external_id",
    )
    remaining_needs = forms.CharField(
        label=_("Remaining needs"), widget=forms.Textarea(attrs={"rows": 4})
    )
    goals_to_maintain = forms.CharField(
        label=_("Goals to maintain"), widget=forms.Textarea(attrs={"rows": 4})
    )
    contacts = forms.CharField(
        label=_("Contacts"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Who home care and the person can call, with phone numbers."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reasons = list(_HANDOVER_REASONS.all())
        self.only_reason = reasons[0] if len(reasons) == 1 else None
        if self.only_reason is not None:
            del self.fields["reason"]

    def end_reason(self) -> EndReason:
        reason: EndReason = self.only_reason or self.cleaned_data["reason"]
        return reason

    @staticmethod
    def initial_for(*, episode: Episode, today: datetime.date) -> dict[str, Any]:
        """The person's own home-care group, and contacts prefilled with the responsible case
        officer and the phone numbers of the teams that worked with the person."""
        person = episode.person
        contacts = []
        officer = responsible_case_officer(person=person)
        if officer is not None:
            reachable = ", ".join(part for part in (officer.name, officer.phone) if part)
            contacts.append(f"{gettext('Case officer')}: {reachable}")
        for team in episode.teams.all():
            if team.phone and team.kind != Team.Kind.NEEDS_ASSESSMENT:
                hours = f" ({team.phone_hours})" if team.phone_hours else ""
                contacts.append(f"{team.name}: {team.phone}{hours}")
        home_care_team = person.home_care_team
        return {
            "ended_on": today,
            "receiving_team": home_care_team.external_id if home_care_team is not None else None,
            "contacts": "\n".join(contacts),
        }


class PlannedServiceForm(Form):
    what = forms.CharField(label=_("Service"), max_length=200)
    how = forms.CharField(
        label=_("How it is carried out"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The rehabilitating approach: do it with the person, not for them."),
    )
    when = forms.CharField(label=_("When and how often"), max_length=200)

    def details(self) -> ServiceDetails:
        return ServiceDetails(
            what=self.cleaned_data["what"],
            how=self.cleaned_data["how"],
            when=self.cleaned_data["when"],
        )


# Three empty rows to start with; at most five services in a plan.
PlannedServiceFormSet = forms.formset_factory(
    PlannedServiceForm,
    extra=MAX_SERVICES,
    max_num=MAX_SERVICES,
    absolute_max=MAX_SERVICES,
    validate_max=True,
)


def service_details(formset: forms.BaseFormSet[PlannedServiceForm]) -> list[ServiceDetails]:
    """The filled rows of a valid service formset; rows left empty are not services."""
    return [form.details() for form in formset.forms if form.has_changed()]
