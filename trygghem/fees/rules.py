"""Fees (avgifter) for home-based reablement. Pure: no ORM.

Source: the Hofors brochure (seed 004): Trygg hemgång costs at most 1/14 of the monthly
maxtaxa per day (2024: 184 kr), short-term care at most 1/9 per day plus food 130 kr per day,
and everything within the maxtaxa (2 575 kr/month in 2024). Other municipalities' rules
(free reablement, an hourly fee) are expressed with the same `FeeTerms`.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

KRONA = Decimal(1)


class FeeKind(StrEnum):
    FREE = "free"
    DAY_SHARE = "day_share"  # a share of the monthly maxtaxa per day (1/14, 1/9)
    PER_HOUR = "per_hour"


@dataclass(frozen=True)
class FeeTerms:
    kind: FeeKind
    share_denominator: int = 0  # 14 for Trygg hemgång, 9 for short-term care
    hourly_amount: Decimal = Decimal(0)
    food_per_day: Decimal = Decimal(0)  # outside the maxtaxa


@dataclass(frozen=True)
class Usage:
    """What one person used under one fee rule in a month."""

    label: str
    terms: FeeTerms
    days: int = 0
    hours: Decimal = Decimal(0)


@dataclass(frozen=True)
class FeeLine:
    label: str
    days: int
    hours: Decimal
    care_amount: Decimal  # within the maxtaxa
    food_amount: Decimal  # outside it


@dataclass(frozen=True)
class MonthlyFee:
    lines: tuple[FeeLine, ...]
    care_before_cap: Decimal
    cap: Decimal
    cap_applied: str  # "" | "maxtaxa" | "fee_room"
    care_amount: Decimal
    food_amount: Decimal

    @property
    def total(self) -> Decimal:
        return self.care_amount + self.food_amount


def whole_kronor(amount: Decimal) -> Decimal:
    return amount.quantize(KRONA, rounding=ROUND_HALF_UP)


def day_fee(monthly_max: Decimal, denominator: int) -> Decimal:
    """The highest fee per day: the monthly maxtaxa divided by the rule's denominator, in whole
    kronor (2 575 / 14 = 183.93 -> 184 kr, as the 2024 brochure says)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    return whole_kronor(monthly_max / denominator)


def line_for(usage: Usage, monthly_max: Decimal) -> FeeLine:
    terms = usage.terms
    if terms.kind == FeeKind.DAY_SHARE:
        care = day_fee(monthly_max, terms.share_denominator) * usage.days
    elif terms.kind == FeeKind.PER_HOUR:
        care = whole_kronor(terms.hourly_amount * usage.hours)
    else:
        care = Decimal(0)
    food = whole_kronor(terms.food_per_day * usage.days)
    return FeeLine(usage.label, usage.days, usage.hours, care, food)


def monthly_fee(
    usages: list[Usage], *, monthly_max: Decimal, fee_room: Decimal | None = None
) -> MonthlyFee:
    """A month's fee basis: the care part never above the monthly maxtaxa, nor above the
    person's recorded fee room (avgiftsutrymme) when one is recorded; food is charged beside."""
    lines = tuple(line_for(usage, monthly_max) for usage in usages)
    care = sum((line.care_amount for line in lines), Decimal(0))
    food = sum((line.food_amount for line in lines), Decimal(0))
    cap, applied = monthly_max, "maxtaxa"
    if fee_room is not None and fee_room < monthly_max:
        cap, applied = max(fee_room, Decimal(0)), "fee_room"
    if care <= cap:
        return MonthlyFee(lines, care, cap, "", care, food)
    return MonthlyFee(lines, care, cap, applied, cap, food)
