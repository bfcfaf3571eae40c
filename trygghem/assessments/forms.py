"""Forms for recording an assessment. The item fields are built from the instrument's
definition and only collect what was typed: scales, required items and dates are checked by
the service (rules.validate_answers), so a refusal reads the same from the browser and the API."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygghem.assessments import rules
from trygghem.assessments.models import Assessment, Instrument
from trygghem.core.forms import DateInput, Form


class InstrumentChoiceField(forms.ModelChoiceField[Instrument]):
    def label_from_instance(self, obj: Instrument) -> str:
        return gettext(obj.name)


class ChooseInstrumentForm(Form):
    """Step one: which instrument, on which occasion (sent with GET)."""

    instrument = InstrumentChoiceField(
        label=_("Instrument"), queryset=Instrument.objects.none(), to_field_name="code"
    )
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Assessment.Occasion.choices)

    def __init__(self, *args: Any, instruments: list[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(InstrumentChoiceField, self.fields["instrument"])
        field.queryset = Instrument.objects.filter(pk__in=[i.pk for i in instruments])


def unable_name(code: str) -> str:
    return f"{code}__unable"


def _item_field(item: Mapping[str, Any]) -> forms.Field:
    label = rules.item_label(item)
    kind = item["kind"]
    if kind == "choice":
        return forms.ChoiceField(
            label=label,
            choices=[(str(value), gettext(text)) for value, text in item["choices"]],
            widget=forms.RadioSelect,
            required=False,
        )
    if kind == "text":
        return forms.CharField(label=label, required=False, max_length=item.get("max_length"))
    step = "1" if kind == "integer" else "0.01"
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.NumberInput(attrs={"min": item["min"], "max": item["max"], "step": step}),
        help_text=gettext("%(min)s–%(max)s") % {"min": item["min"], "max": item["max"]},
    )


@dataclass(frozen=True)
class FieldGroup:
    legend: str
    names: list[str]


class AssessmentForm(Form):
    """Step two: the occasion, the date and one field per item of the instrument."""

    occasion = forms.ChoiceField(label=_("Occasion"), choices=Assessment.Occasion.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.items = list(instrument.definition["items"])
        for item in self.items:
            code = str(item["code"])
            self.fields[code] = _item_field(item)
            if item.get("unable_allowed"):
                self.fields[unable_name(code)] = forms.BooleanField(
                    label=gettext("%(item)s: unable to do it") % {"item": rules.item_label(item)},
                    required=False,
                )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The item fields in fieldsets: one per COPM problem, otherwise one for all items."""
        groups: dict[str, list[forms.BoundField]] = {}
        for item in self.items:
            code = str(item["code"])
            legend = (
                gettext("Problem %(number)s") % {"number": item["number"]}
                if "number" in item
                else gettext(self.instrument.name)
            )
            groups.setdefault(legend, []).append(self[code])
            if item.get("unable_allowed"):
                groups[legend].append(self[unable_name(code)])
        return list(groups.items())

    def answers(self) -> dict[str, Any]:
        """What was typed per item; blank items are left out, "unable" when ticked."""
        answers: dict[str, Any] = {}
        for item in self.items:
            code = str(item["code"])
            if item.get("unable_allowed") and self.cleaned_data.get(unable_name(code)):
                answers[code] = rules.UNABLE
                continue
            value = self.cleaned_data.get(code)
            if value not in (None, ""):
                answers[code] = value
        return answers
