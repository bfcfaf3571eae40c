from collections.abc import Iterator

import pytest
from django.utils import translation

from trygghem.people.admin import BirthDayRangeForm
from trygghem.people.models import BirthDayRange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _form(first: int, last: int, instance: BirthDayRange | None = None) -> BirthDayRangeForm:
    data = {"first_day": str(first), "last_day": str(last), "phone": "0290-00 00 00"}
    return BirthDayRangeForm(data=data, instance=instance)


def test_the_hofors_ranges_are_seeded() -> None:
    ranges = BirthDayRange.objects.values_list("first_day", "last_day")
    assert list(ranges) == [(1, 11), (12, 21), (22, 31)]


def test_a_range_overlapping_another_is_refused() -> None:
    form = _form(10, 15)

    assert not form.is_valid()
    assert form.non_field_errors() == ["The days overlap another range."]


def test_a_range_may_be_changed_within_its_own_days() -> None:
    first = BirthDayRange.objects.get(first_day=1)

    assert _form(1, 10, instance=first).is_valid()


def test_days_outside_the_month_or_reversed_are_refused() -> None:
    BirthDayRange.objects.all().delete()

    assert _form(5, 3).non_field_errors() == ["Days run from 1 to 31, first before last."]
    assert _form(0, 3).non_field_errors() == ["Days run from 1 to 31, first before last."]
