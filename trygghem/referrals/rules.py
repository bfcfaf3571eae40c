"""Date and value rules for a referral. Pure: no ORM."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HOURS_IN_A_WEEK = Decimal(168)


def check_referral_dates(
    *,
    received_on: datetime.date,
    admitted_on: datetime.date | None,
    ready_for_discharge_on: datetime.date | None,
    planned_home_on: datetime.date | None,
    today: datetime.date,
) -> None:
    """Admission comes before ready-for-discharge, which comes before the planned homecoming;
    what has happened cannot be in the future."""
    errors: dict[str, ValidationError] = {}
    if received_on > today:
        errors["received_on"] = ValidationError(
            _("The referral cannot be received in the future."), code="future_date"
        )
    if admitted_on is not None and admitted_on > today:
        errors["admitted_on"] = ValidationError(
            _("The admission date cannot be in the future."), code="future_date"
        )
    if admitted_on and ready_for_discharge_on and ready_for_discharge_on < admitted_on:
        errors["ready_for_discharge_on"] = ValidationError(
            _("Ready for discharge cannot be before the admission."),
            code="discharge_before_admission",
        )
    if admitted_on and planned_home_on and planned_home_on < admitted_on:
        errors["planned_home_on"] = ValidationError(
            _("The planned homecoming cannot be before the admission."),
            code="home_before_admission",
        )
    elif ready_for_discharge_on and planned_home_on and planned_home_on < ready_for_discharge_on:
        errors["planned_home_on"] = ValidationError(
            _("The planned homecoming cannot be before the person is ready for discharge."),
            code="home_before_discharge",
        )
    if errors:
        raise ValidationError(errors)


def check_home_care_hours(hours: Decimal) -> None:
    if not Decimal(0) <= hours <= HOURS_IN_A_WEEK:
        raise ValidationError(
            {
                "home_care_hours_before": ValidationError(
                    _("Home-care hours per week must be between 0 and 168."),
                    code="hours_out_of_range",
                )
            }
        )
