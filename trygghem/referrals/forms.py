from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from trygghem.core.forms import DateInput, Form
from trygghem.episodes.models import Program
from trygghem.referrals.models import ExclusionCriterion, Referral
from trygghem.referrals.services import PersonDetails, ReferralDetails, RelativeDetails
from trygghem.staff.models import Team


class ReferralForm(Form):
    """A referral with the person's details. Dates and the personnummer are checked by the
    service, so a refusal reads the same from the browser and the API."""

    identity_number = forms.CharField(
        label=_("Personal identity number or coordination number"),
        help_text=_("YYYYMMDD-NNNN"),
        max_length=13,
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    street_address = forms.CharField(label=_("Street address"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.CharField(label=_("Language"), max_length=50, initial="svenska")
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    safety_alarm = forms.BooleanField(label=_("Has a safety alarm"), required=False)
    home_care_team = forms.ModelChoiceField(
        label=_("Home-care group"),
        queryset=Team.objects.filter(kind=Team.Kind.HOME_CARE),
        required=False,
        help_text=_("The ordinary home-care group for the person's address (evenings and nights)."),
        to_field_name="external_id",
    )
    relative_name = forms.CharField(label=_("Relative's name"), max_length=200, required=False)
    relative_relation = forms.CharField(label=_("Relation"), max_length=100, required=False)
    relative_phone = forms.CharField(label=_("Relative's phone"), max_length=40, required=False)

    source = forms.ChoiceField(label=_("Source"), choices=Referral.Source.choices)
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.filter(active=True), to_field_name="code"
    )
    received_on = forms.DateField(label=_("Received"), widget=DateInput())
    admitted_on = forms.DateField(
        label=_("Admitted to hospital"), widget=DateInput(), required=False
    )
    ready_for_discharge_on = forms.DateField(
        label=_("Ready for discharge"), widget=DateInput(), required=False
    )
    planned_home_on = forms.DateField(
        label=_("Planned homecoming"), widget=DateInput(), required=False
    )
    home_care_hours_before = forms.DecimalField(
        label=_("Home-care hours per week before admission"),
        min_value=Decimal(0),
        max_value=Decimal(168),
        decimal_places=1,
        initial=Decimal(0),
    )
    triage = forms.ChoiceField(
        label=_("Triage"), choices=Referral.Triage.choices, widget=forms.RadioSelect
    )
    feels_safe = forms.ChoiceField(
        label=_("“Do you feel safe about coming home?”"),
        choices=Referral.FeelsSafe.choices,
        widget=forms.RadioSelect,
    )
    exclusion_criteria = forms.ModelMultipleChoiceField(
        label=_("Exclusion criteria that apply"),
        queryset=ExclusionCriterion.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="external_id",
    )

    PERSON_FIELDS = [
        "identity_number", "first_name", "last_name", "street_address", "postal_code", "city",
        "phone", "language", "needs_interpreter", "safety_alarm", "home_care_team",
        "relative_name", "relative_relation", "relative_phone",
    ]  # fmt: skip

    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PERSON_FIELDS]

    def referral_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.PERSON_FIELDS]

    def person_details(self) -> PersonDetails:
        data = self.cleaned_data
        relatives = [
            RelativeDetails(
                name=data["relative_name"],
                relation=data["relative_relation"],
                phone=data["relative_phone"],
            )
        ]
        return PersonDetails(
            identity_number=data["identity_number"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            street_address=data["street_address"],
            postal_code=data["postal_code"],
            city=data["city"],
            language=data["language"],
            needs_interpreter=data["needs_interpreter"],
            safety_alarm=data["safety_alarm"],
            phone=data["phone"],
            home_care_team=data["home_care_team"],
            relatives=relatives,
        )

    def referral_details(self) -> ReferralDetails:
        data = self.cleaned_data
        return ReferralDetails(
            source=data["source"],
            received_on=data["received_on"],
            admitted_on=data["admitted_on"],
            ready_for_discharge_on=data["ready_for_discharge_on"],
            planned_home_on=data["planned_home_on"],
            home_care_hours_before=data["home_care_hours_before"],
            triage=data["triage"],
            feels_safe=data["feels_safe"],
            exclusion_criteria=list(data["exclusion_criteria"]),
            program=data["program"],
        )
