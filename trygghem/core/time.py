"""Time helpers: the municipality's local day, so tests can freeze it in one place."""

import datetime

from django.utils import timezone


def local_today() -> datetime.date:
    return timezone.localdate()


def local_now() -> datetime.datetime:
    return timezone.localtime()


def local_date(moment: datetime.datetime) -> datetime.date:
    """The municipality's calendar day of an aware datetime."""
    return timezone.localtime(moment).date()
