"""Rules for time-limited decisions. Pure: no ORM."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start_on: datetime.date
    end_on: datetime.date

    @property
    def days(self) -> int:
        return (self.end_on - self.start_on).days + 1

    def overlaps(self, other: "Period") -> bool:
        return self.start_on <= other.end_on and other.start_on <= self.end_on


def check_decision_period(
    *,
    start_on: datetime.date,
    end_on: datetime.date,
    follow_up_on: datetime.date,
    program_name: str,
    max_days: int,
) -> None:
    """A decision ends on or after its start, lasts at most the program's maximum (Hofors: 14
    days for Trygg hemgång, counted inclusive), and is followed up within its period."""
    if end_on < start_on:
        raise ValidationError(
            {
                "end_on": ValidationError(
                    _("The decision cannot end before it starts."), code="ends_before_start"
                )
            }
        )
    days = Period(start_on, end_on).days
    if days > max_days:
        raise ValidationError(
            {
                "end_on": ValidationError(
                    _(
                        "The decision is %(days)d days long; "
                        "%(program)s allows at most %(max)d days."
                    )
                    % {"days": days, "program": program_name, "max": max_days},
                    code="too_long",
                )
            }
        )
    if not start_on <= follow_up_on <= end_on:
        raise ValidationError(
            {
                "follow_up_on": ValidationError(
                    _("The follow-up date must lie within the decision period."),
                    code="follow_up_outside",
                )
            }
        )


def check_no_overlap(new: Period, running: list[tuple[str, Period]]) -> None:
    """A person has at most one running time-limited decision on any day."""
    for program_name, period in running:
        if new.overlaps(period):
            raise ValidationError(
                _(
                    "The person already has a running decision (%(program)s, %(start)s – %(end)s) "
                    "that overlaps this period."
                )
                % {
                    "program": program_name,
                    "start": date_format(period.start_on, "SHORT_DATE_FORMAT"),
                    "end": date_format(period.end_on, "SHORT_DATE_FORMAT"),
                },
                code="overlapping_decision",
            )


# Ordinary home-care decisions: open-ended periods (no end = until further notice)

HOURS_IN_A_WEEK = 168


def open_periods_overlap(
    first: tuple[datetime.date, datetime.date | None],
    second: tuple[datetime.date, datetime.date | None],
) -> bool:
    """`Period.overlaps` for periods that may have no end yet (None: until further notice)."""
    (first_start, first_end), (second_start, second_end) = first, second
    return Period(first_start, first_end or datetime.date.max).overlaps(
        Period(second_start, second_end or datetime.date.max)
    )


def check_home_care_decision(
    *, hours_per_week: Decimal, start_on: datetime.date, end_on: datetime.date | None
) -> None:
    """Granted hours are 0-168 a week; a decision that has an end ends on or after its start."""
    if not 0 <= hours_per_week <= HOURS_IN_A_WEEK:
        raise ValidationError(
            {
                "hours_per_week": ValidationError(
                    _("The hours a week must be from 0 to 168."), code="hours_out_of_range"
                )
            }
        )
    if end_on is not None and end_on < start_on:
        raise ValidationError(
            {
                "end_on": ValidationError(
                    _("The decision cannot end before it starts."), code="ends_before_start"
                )
            }
        )


def check_no_home_care_overlap(
    new: tuple[datetime.date, datetime.date | None],
    existing: list[tuple[Decimal, datetime.date, datetime.date | None]],
) -> None:
    """A person has at most one home-care decision in force on any day: a change of hours is
    a new decision from a day, with the earlier one ended the day before."""
    for hours, start_on, end_on in existing:
        if open_periods_overlap(new, (start_on, end_on)):
            raise ValidationError(
                _(
                    "The person already has a home-care decision (%(hours)s hours a week from "
                    "%(start)s%(until)s) that overlaps this period. End it, or replace it from "
                    "a day."
                )
                % {
                    "hours": number_format(hours, decimal_pos=1),
                    "start": date_format(start_on, "SHORT_DATE_FORMAT"),
                    "until": ""
                    if end_on is None
                    else _(" until %(end)s") % {"end": date_format(end_on, "SHORT_DATE_FORMAT")},
                },
                code="overlapping_home_care_decision",
            )
