"""Rules of the rehab plan and of assistive devices. Pure: no ORM."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# An ICF category: its component (b body functions, d activities and participation,
# e environmental factors, s body structures) and one to five digits (d5, d510, b28013).
_ICF_CODE = re.compile(r"[bdes][0-9]{1,5}")

# Brochure (seed 004): the hospital prescribes for the primary needs in the first days after
# discharge; after that primary care or the municipal rehab team prescribes.
HOSPITAL_PRESCRIBES_WITHIN_DAYS = 3

# A device's follow-up shows on the worklist from this many days before it is due.
DEVICE_FOLLOW_UP_SHOWN_DAYS_BEFORE = 2


def normalise_icf_code(code: str) -> str:
    """An ICF code as written in the classification (lower-case letter, digits); refused when
    it is not one."""
    normalised = code.strip().lower()
    if not _ICF_CODE.fullmatch(normalised):
        raise ValidationError(
            {
                "icf_code": ValidationError(
                    _(
                        "Write an ICF code: b, d, e or s followed by one to five digits, "
                        "for example d510."
                    ),
                    code="invalid_icf_code",
                )
            }
        )
    return normalised


def check_within(
    day: datetime.date,
    *,
    first: datetime.date,
    last: datetime.date,
    field: str,
    message: str,
    code: str,
) -> None:
    if not first <= day <= last:
        raise ValidationError({field: ValidationError(message, code=code)})


def kva_code_for_review(*, revised: bool) -> str:
    """AW027 when the follow-up revised the plan, AW024 when it was followed up unchanged."""
    return "AW027" if revised else "AW024"


def device_follow_up_due_on(*, delivered_on: datetime.date, after_days: int) -> datetime.date:
    return delivered_on + datetime.timedelta(days=after_days)


def hospital_prescription_in_time(
    *, prescribed_on: datetime.date, home_on: datetime.date | None
) -> bool:
    """A hospital prescription covers the first days after discharge only."""
    if home_on is None:
        return True
    return prescribed_on <= home_on + datetime.timedelta(days=HOSPITAL_PRESCRIBES_WITHIN_DAYS)


def check_date_order(
    day: datetime.date,
    *,
    earliest: datetime.date,
    today: datetime.date,
    field: str,
    too_early: str,
) -> None:
    """A device's date lies between the step before it and today."""
    if day > today:
        raise ValidationError(
            {field: ValidationError(_("The date cannot be in the future."), code="future_date")}
        )
    if day < earliest:
        raise ValidationError({field: ValidationError(too_early, code="date_too_early")})
