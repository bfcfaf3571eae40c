import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trygghem.core.forms import DateInput, Form
from trygghem.planning.models import Delegation, Law, Visit
from trygghem.staff.models import Staff


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def minute_of(value: datetime.time | None) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


def time_of(minute: int | None) -> datetime.time | None:
    return None if minute is None else datetime.time(minute // 60, minute % 60)


class StaffChoiceField(forms.ModelChoiceField[Staff]):
    def label_from_instance(self, obj: Staff) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField[Staff]):
    def label_from_instance(self, obj: Staff) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class AssignVisitForm(Form):
    """Who does the visit and when it starts. Conflicts are shown before saving; saving a plan
    with conflicts needs a reason."""

    staff = StaffMultipleChoiceField(
        label=_("Staff"),
        queryset=Staff.objects.none(),
        to_field_name="external_id",
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.TimeField(label=_("Start"), widget=TimeInput())
    override_reason = forms.CharField(
        label=_("Reason to save despite the conflicts"),
        max_length=300,
        required=False,
        help_text=_("Only needed when the plan has conflicts."),
    )

    def __init__(self, *args: Any, staff: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        assert isinstance(field, StaffMultipleChoiceField)  # noqa: S101
        field.queryset = staff

    @staticmethod
    def initial_for(*, visit: Visit) -> dict[str, Any]:
        return {
            "staff": [a.staff.external_id for a in visit.assignments.all()],
            "start": time_of(visit.planned_start_minute or visit.window_start_minute),
        }


class ShiftForm(Form):
    """A planning row: who works in this plan, and when."""

    staff = StaffChoiceField(
        label=_("Staff member"), queryset=Staff.objects.none(), to_field_name="external_id"
    )
    start = forms.TimeField(label=_("Shift starts"), widget=TimeInput())
    end = forms.TimeField(label=_("Shift ends"), widget=TimeInput())

    def __init__(self, *args: Any, staff: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        assert isinstance(field, StaffChoiceField)  # noqa: S101
        field.queryset = staff


class RecordVisitForm(Form):
    status = forms.ChoiceField(
        label=_("The visit was"),
        choices=[(Visit.Status.DONE, _("Done")), (Visit.Status.NOT_DONE, _("Not done"))],
        widget=forms.RadioSelect,
    )
    actual_start = forms.TimeField(label=_("Started"), widget=TimeInput(), required=False)
    actual_end = forms.TimeField(label=_("Ended"), widget=TimeInput(), required=False)
    independence = forms.ChoiceField(
        label=_("How independently did the person do it?"),
        choices=Visit.Independence.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    deterioration = forms.BooleanField(
        label=_("Deterioration noticed: tell the nurse"), required=False
    )


class DelegationForm(Form):
    staff = StaffChoiceField(
        label=_("To"),
        queryset=Staff.objects.filter(
            role__in=[Staff.Role.REHAB_ASSISTANT, Staff.Role.CARE_WORKER]
        ).select_related("user"),
        to_field_name="external_id",
    )
    task = forms.ChoiceField(label=_("Task"), choices=Delegation.Task.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Valid to"), widget=DateInput(), help_text=_("At most one year.")
    )


class WithdrawDelegationForm(Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn from"), widget=DateInput())


class GenerateVisitsForm(Form):
    """No fields: a confirmation."""


class MorningMeetingForm(Form):
    notes = forms.CharField(
        label=_("What was decided"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Who does what today, and what to follow up."),
    )


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
SKILL_CHOICES = [
    ("rehab", _("Rehab training")),
    ("medication", _("Giving medication (delegated)")),
    ("insulin", _("Insulin injection (delegated)")),
    ("wound_care", _("Simple wound care (delegated)")),
    ("hsl", _("Health care (licensed staff)")),
]


class ServiceTemplateForm(Form):
    """A recurring service as granted in the decision."""

    what = forms.CharField(label=_("What"), max_length=200)
    law = forms.ChoiceField(
        label=_("Law"), choices=Law.choices, initial=Law.SOL, widget=forms.RadioSelect
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: until the decision ends."),
    )
    window_start = forms.TimeField(label=_("Earliest start"), widget=TimeInput())
    window_end = forms.TimeField(label=_("Latest start"), widget=TimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration in minutes"), min_value=1)
    skills = forms.MultipleChoiceField(
        label=_("Skills needed"),
        choices=SKILL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    staff_count = forms.TypedChoiceField(
        label=_("Staff"),
        choices=[(1, _("One")), (2, _("Two"))],
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )
    taper_after_days = forms.IntegerField(
        label=_("Shorter after this many days"), min_value=1, required=False
    )
    taper_to_minutes = forms.IntegerField(
        label=_("Shorter duration in minutes"), min_value=1, required=False
    )
    goal_text = forms.CharField(label=_("Goal"), max_length=300, required=False)


class ConfirmForm(Form):
    """No fields: a confirmation."""


class PlanDayForm(Form):
    """Ask the planner for a proposal; with a staff member called in sick, re-plan without
    them and keep the other assignments where possible."""

    sick = StaffChoiceField(
        label=_("Staff member called in sick"),
        queryset=Staff.objects.none(),
        to_field_name="external_id",
        required=False,
    )

    def __init__(self, *args: Any, staff: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sick"]
        assert isinstance(field, StaffChoiceField)  # noqa: S101
        field.queryset = staff


class AcceptProposalForm(Form):
    """Accept the planner's proposal; conflicts with the day as it is now need a reason."""

    override_reason = forms.CharField(
        label=_("Reason to save despite the conflicts"),
        max_length=300,
        required=False,
        help_text=_("Only needed when the plan has conflicts."),
    )
