import datetime

from trygghem.fees.models import FeeRule, MaxFee
from trygghem.fees.rules import FeeKind, FeeTerms


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
