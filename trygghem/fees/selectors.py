import datetime
from decimal import Decimal

from django.db.models import QuerySet

from trygghem.fees.models import FeeRoom, FeeRule, MaxFee
from trygghem.fees.rules import FeeKind, FeeTerms
from trygghem.people.models import Person


def monthly_max_for(day: datetime.date) -> MaxFee | None:
    """The maxtaxa in force in the day's year."""
    return MaxFee.objects.filter(year=day.year).first()


def terms_of(rule: FeeRule) -> FeeTerms:
    return FeeTerms(
        kind=FeeKind(rule.kind),
        share_denominator=rule.share_denominator,
        hourly_amount=rule.hourly_amount,
        food_per_day=rule.food_per_day,
    )


def fee_room_for(*, person: Person, month: datetime.date) -> FeeRoom | None:
    """The fee room in force in the month: the latest valid from its first day or earlier."""
    return (
        FeeRoom.objects.filter(person=person, valid_from__lte=month.replace(day=1))
        .order_by("-valid_from")
        .first()
    )


def fee_rooms_of(*, person: Person) -> QuerySet[FeeRoom]:
    """Every fee room recorded for the person, the latest valid first, with who recorded it."""
    return (
        FeeRoom.objects.filter(person=person)
        .select_related("recorded_by__user")
        .order_by("-valid_from")
    )


def fee_rooms_for(*, people: list[Person], month: datetime.date) -> dict[int, Decimal]:
    """The fee room in force in the month for each of `people` (by person id), in one query:
    the same rule as `fee_room_for`."""
    amounts: dict[int, Decimal] = {}
    rooms = FeeRoom.objects.filter(
        person__in=people, valid_from__lte=month.replace(day=1)
    ).order_by("person_id", "-valid_from")
    for room in rooms:
        amounts.setdefault(room.person_id, room.amount)
    return amounts
