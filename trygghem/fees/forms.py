import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trygghem.core.forms import DateInput, Form


class FeeRoomForm(Form):
    """A person's fee room (avgiftsutrymme) from a day on. A negative amount and a second fee
    room from the same day are refused by the service, so the refusal reads the same anywhere."""

    amount = forms.DecimalField(
        label=_("Fee room per month (kr)"),
        max_digits=8,
        decimal_places=2,
        error_messages={"invalid": _("Write the fee room as a number of kronor, e.g. 1200.")},
        help_text=_("The most the person can pay a month for home-based services."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=DateInput(),
        help_text=_(
            "It applies to a month when it is valid from the month's first day or earlier."
        ),
    )

    @staticmethod
    def initial_for(*, today: datetime.date) -> dict[str, Any]:
        return {"valid_from": today.replace(day=1)}
