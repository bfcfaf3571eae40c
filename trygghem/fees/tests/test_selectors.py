import datetime
from decimal import Decimal

import pytest

from trygghem.fees.models import FeeRule
from trygghem.fees.rules import Usage, monthly_fee
from trygghem.fees.selectors import monthly_max_for, terms_of

pytestmark = pytest.mark.django_db


def test_the_maxtaxa_of_2024_2025_and_2026_are_seeded() -> None:
    amounts = [monthly_max_for(datetime.date(year, 6, 1)) for year in (2024, 2025, 2026)]

    assert [fee.monthly_max if fee else None for fee in amounts] == [
        Decimal(2575),
        Decimal(2642),
        Decimal(2660),
    ]
    assert monthly_max_for(datetime.date(2023, 1, 1)) is None


def test_the_seeded_trygg_hemgang_rule_gives_the_brochures_184_kr_a_day_in_2024() -> None:
    terms = terms_of(FeeRule.objects.get(code="trygg_hemgang"))
    max_fee = monthly_max_for(datetime.date(2024, 3, 1))
    assert max_fee is not None

    fee = monthly_fee([Usage("Trygg hemgång", terms, days=1)], monthly_max=max_fee.monthly_max)

    assert fee.care_amount == Decimal(184)
