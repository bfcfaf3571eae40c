"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

Parsing and the checksum come from the `personnummer` library; this module only
normalises to the 12-digit form we store and turns failures into Swedish messages.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from personnummer import personnummer

_ALLOWED = re.compile(r"^(\d{6}|\d{8})[-+]?\d{4}$")


@dataclass(frozen=True)
class IdentityNumber:
    digits: str  # YYYYMMDDNNNC
    is_coordination_number: bool
    birth_date: datetime.date

    @property
    def formatted(self) -> str:
        return f"{self.digits[:8]}-{self.digits[8:]}"


def parse_identity_number(raw: str, *, today: datetime.date) -> IdentityNumber:
    """Validate a personnummer or samordningsnummer (Luhn checksum, real date; day + 60 for
    samordningsnummer) and return it in the stored 12-digit form."""
    value = (raw or "").strip().replace(" ", "")
    if not _ALLOWED.match(value):
        raise ValidationError(
            _("Enter the personal identity number as YYYYMMDD-NNNN."), code="identity_format"
        )
    try:
        parsed = personnummer.parse(value)
        birth_date = parsed.get_date()
    except (personnummer.PersonnummerException, ValueError) as error:
        raise ValidationError(
            _("The personal identity number is not valid (check digit or date is wrong)."),
            code="identity_invalid",
        ) from error
    digits = f"{parsed.full_year}{parsed.month}{parsed.day}{parsed.num}{parsed.check}"
    if birth_date > today:
        raise ValidationError(
            _("The personal identity number has a birth date in the future."),
            code="identity_future",
        )
    return IdentityNumber(
        digits=digits,
        is_coordination_number=bool(parsed.is_coordination_number()),
        birth_date=birth_date,
    )
