from dataclasses import dataclass

from trygghem.people import rules
from trygghem.people.models import BirthDayRange, Person


@dataclass(frozen=True)
class CaseOfficerContact:
    name: str
    phone: str
    days: str


def responsible_case_officer(*, person: Person) -> CaseOfficerContact | None:
    """The case officer for the person, chosen by day of birth (Hofors brochure)."""
    ranges = list(BirthDayRange.objects.select_related("case_officer__user"))
    found = rules.range_for_birth_day(person.birth_date, ranges)
    if found is None:
        return None
    name = found.case_officer.full_name if found.case_officer is not None else ""
    return CaseOfficerContact(
        name=name, phone=found.phone, days=f"{found.first_day}–{found.last_day}"
    )
