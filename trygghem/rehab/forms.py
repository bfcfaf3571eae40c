"""Forms for the rehab plan and assistive devices. Dates, ICF codes and states are checked by the
services, so a refusal reads the same from the browser and the API."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trygghem.core.forms import DateInput, Form
from trygghem.rehab.models import (
    AssistiveDevice,
    DeviceType,
    Goal,
    GoalAttainment,
    PlanAction,
    PlanFactor,
    RehabPlan,
)
from trygghem.rehab.services import FactorDetails, TrainingDetails

MAX_FACTORS = 6


class PlanForm(Form):
    impairments = forms.CharField(
        label=_("Impairments (body functions)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    activity_limitations = forms.CharField(
        label=_("Activity limitations and participation restrictions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput(), required=False)

    @staticmethod
    def initial_for(plan: RehabPlan) -> dict[str, Any]:
        return {
            "impairments": plan.impairments,
            "activity_limitations": plan.activity_limitations,
            "next_review_on": plan.next_review_on,
        }


class FactorForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanFactor.Kind.choices)
    text = forms.CharField(
        label=_("Factor"), max_length=300, required=False, help_text=_("Leave empty if none.")
    )
    is_resource = forms.TypedChoiceField(
        label=_("Resource or barrier"),
        choices=[("1", _("Resource")), ("0", _("Barrier"))],
        coerce=lambda value: value == "1",
    )

    def details(self) -> FactorDetails:
        return FactorDetails(
            kind=self.cleaned_data["kind"],
            text=self.cleaned_data["text"],
            is_resource=self.cleaned_data["is_resource"],
        )


FactorFormSet = forms.formset_factory(
    FactorForm, extra=3, max_num=MAX_FACTORS, absolute_max=MAX_FACTORS, validate_max=True
)


def factor_details(formset: forms.BaseFormSet[FactorForm]) -> list[FactorDetails]:
    """The rows of a valid factor formset with a text; rows left empty are not factors."""
    return [form.details() for form in formset.forms if form.cleaned_data.get("text")]


def factor_initial(plan: RehabPlan) -> list[dict[str, Any]]:
    return [
        {
            "kind": factor.kind,
            "text": factor.text,
            "is_resource": "1" if factor.is_resource else "0",
        }
        for factor in plan.factors.all()
    ]


class GoalForm(Form):
    parent = forms.ModelChoiceField(
        label=_("Sub-goal of"),
        queryset=Goal.objects.none(),
        to_field_name="external_id",
        required=False,
        empty_label=_("None: this is a main goal"),
    )
    own_words = forms.CharField(
        label=_("The goal in the person's own words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Write what the person said, for example “I want to shower by myself”."),
    )
    activity = forms.CharField(label=_("Activity"), max_length=200)
    icf_code = forms.CharField(
        label=_("ICF code"), max_length=8, help_text=_("For example d510 (washing oneself).")
    )
    target = forms.CharField(label=_("Target"), max_length=300)
    target_on = forms.DateField(label=_("Target date"), widget=DateInput())

    def __init__(self, *args: Any, plan: RehabPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        if isinstance(parent, forms.ModelChoiceField):  # pragma: no branch - declared above
            parent.queryset = plan.goals.filter(is_main=True)


class ActionForm(Form):
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=Goal.objects.none(), to_field_name="external_id"
    )
    what = forms.CharField(label=_("What"), max_length=200)
    who = forms.ChoiceField(label=_("Who"), choices=PlanAction.Who.choices)
    times_per_week = forms.IntegerField(label=_("Times per week"), min_value=1, max_value=21)
    until_on = forms.DateField(label=_("Until"), widget=DateInput())
    is_training = forms.BooleanField(
        label=_("Prescribed training: schedule it in the shared plan"), required=False
    )
    window_start = forms.TimeField(
        label=_("Time window from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    window_end = forms.TimeField(
        label=_("Time window to"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=240, required=False
    )
    performed_by = forms.ChoiceField(
        label=_("May be carried out by"),
        choices=[("", "—"), *PlanAction.Performer.choices],
        required=False,
    )

    def __init__(self, *args: Any, plan: RehabPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal = self.fields["goal"]
        if isinstance(goal, forms.ModelChoiceField):  # pragma: no branch - declared above
            goal.queryset = plan.goals.order_by("-is_main", "target_on", "id")
            first = goal.queryset.first()
            goal.initial = first.external_id if first is not None else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_training"):
            for name in ("window_start", "window_end", "duration_minutes", "performed_by"):
                if data.get(name) in (None, ""):
                    self.add_error(
                        name,
                        forms.ValidationError(
                            _("A training action needs this to be scheduled."), code="required"
                        ),
                    )
        return data

    def training(self) -> TrainingDetails | None:
        data = self.cleaned_data
        if not data["is_training"]:
            return None
        return TrainingDetails(
            window_start=data["window_start"],
            window_end=data["window_end"],
            duration_minutes=data["duration_minutes"],
            performed_by=data["performed_by"],
        )


class ReviewForm(Form):
    """The review date, one attainment field per goal (named by the goal's UUID), a note."""

    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[self.field_name(goal)] = forms.ChoiceField(
                label=goal.own_words,
                choices=GoalAttainment.Level.choices,
                widget=forms.RadioSelect,
            )
        self.order_fields(["reviewed_on", *(self.field_name(g) for g in goals)])

    @staticmethod
    def field_name(goal: Goal) -> str:
        return f"goal_{goal.external_id.hex}"

    def attainments(self) -> dict[Goal, str]:
        return {goal: self.cleaned_data[self.field_name(goal)] for goal in self.goals}


class ClosePlanForm(Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())


class DeviceForm(Form):
    device_type = forms.ModelChoiceField(
        label=_("Device"),
        queryset=DeviceType.objects.filter(active=True),
        to_field_name="external_id",
        required=False,
    )
    description = forms.CharField(
        label=_("Other device"),
        max_length=200,
        required=False,
        help_text=_("When the device is not in the list."),
    )
    prescribed_by = forms.ChoiceField(
        label=_("Prescribed by"),
        choices=AssistiveDevice.Prescriber.choices,
        widget=forms.RadioSelect,
    )
    prescribed_on = forms.DateField(label=_("Prescribed on"), widget=DateInput())


class DeviceDateForm(Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
