"""Writing the access log. Detail holds codes and ids only: never a personnummer or a note."""

from collections.abc import Iterable
from typing import Any

from trygghem.audit.models import AccessLog
from trygghem.people.models import Person
from trygghem.staff.models import Staff

_PURPOSE_BY_ROLE = {
    Staff.Role.CASE_OFFICER: AccessLog.Purpose.CASE_HANDLING,
    Staff.Role.MANAGER: AccessLog.Purpose.MANAGEMENT,
}


def purpose_for(staff: Staff) -> str:
    return _PURPOSE_BY_ROLE.get(Staff.Role(staff.role), AccessLog.Purpose.CARE)


def log_read(*, by: Staff, person: Person, what: str) -> None:
    AccessLog.objects.create(
        staff=by, person=person, kind=AccessLog.Kind.READ, what=what, purpose=purpose_for(by)
    )


def log_reads(*, by: Staff, people: Iterable[Person], what: str) -> None:
    """One row per person shown on a list page."""
    purpose = purpose_for(by)
    AccessLog.objects.bulk_create(
        AccessLog(staff=by, person=person, kind=AccessLog.Kind.READ, what=what, purpose=purpose)
        for person in {person.pk: person for person in people}.values()
    )


def record_change(
    *, by: Staff, person: Person, action: str, detail: dict[str, Any] | None = None
) -> None:
    """The change-log row of a write; call it inside the service's transaction."""
    AccessLog.objects.create(
        staff=by,
        person=person,
        kind=AccessLog.Kind.WRITE,
        what=action,
        purpose=purpose_for(by),
        detail=detail or {},
    )
