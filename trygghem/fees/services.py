"""Writes for fees: a person's fee room (avgiftsutrymme)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygghem.audit.services import record_change
from trygghem.fees.models import FeeRoom
from trygghem.people.models import Person
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, check_may


@transaction.atomic
def record_fee_room(
    *, person: Person, amount: Decimal, valid_from: datetime.date, by: Staff
) -> FeeRoom:
    """Record the person's fee room from a day on. Refused when negative or when one is already
    recorded from that day."""
    check_may(by, Action.RECORD_FEE_ROOM)
    Person.objects.select_for_update().get(pk=person.pk)
    if amount < 0:
        raise ValidationError(
            {"amount": ValidationError(_("The fee room cannot be negative."), code="negative")}
        )
    if FeeRoom.objects.filter(person=person, valid_from=valid_from).exists():
        raise ValidationError(
            {
                "valid_from": ValidationError(
                    _("A fee room is already recorded from that day."), code="fee_room_exists"
                )
            }
        )
    fee_room = FeeRoom.objects.create(
        person=person, amount=amount, valid_from=valid_from, recorded_by=by
    )
    record_change(
        by=by,
        person=person,
        action="fee_room.recorded",
        detail={"fee_room": str(fee_room.external_id), "valid_from": valid_from.isoformat()},
    )
    return fee_room
