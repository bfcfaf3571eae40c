from decimal import Decimal

import pytest

from trygghem.fees.rules import FeeKind, FeeTerms, Usage, day_fee, monthly_fee

MAXTAXA_2024 = Decimal(2575)
TRYGG_HEMGANG = FeeTerms(kind=FeeKind.DAY_SHARE, share_denominator=14)
SHORT_TERM = FeeTerms(kind=FeeKind.DAY_SHARE, share_denominator=9, food_per_day=Decimal(130))


@pytest.mark.parametrize(
    ("monthly_max", "denominator", "expected"),
    [
        (Decimal(2575), 14, Decimal(184)),  # the 2024 brochure: "max 184 kr per dygn"
        (Decimal(2642), 14, Decimal(189)),  # 188.71
        (Decimal(2660), 14, Decimal(190)),
        (Decimal(2575), 9, Decimal(286)),  # short-term care, 286.11
    ],
)
def test_the_day_fee_is_the_share_of_the_maxtaxa_in_whole_kronor(
    monthly_max: Decimal, denominator: int, expected: Decimal
) -> None:
    assert day_fee(monthly_max, denominator) == expected


def test_a_day_fee_needs_a_positive_share() -> None:
    with pytest.raises(ValueError, match="denominator must be positive"):
        day_fee(MAXTAXA_2024, 0)


def test_five_days_of_trygg_hemgang_in_2024_cost_five_day_fees() -> None:
    fee = monthly_fee([Usage("Trygg hemgång", TRYGG_HEMGANG, days=5)], monthly_max=MAXTAXA_2024)

    assert (fee.care_before_cap, fee.cap_applied, fee.care_amount, fee.total) == (
        Decimal(920),
        "",
        Decimal(920),
        Decimal(920),
    )


def test_fourteen_days_hit_the_monthly_maxtaxa() -> None:
    fee = monthly_fee([Usage("Trygg hemgång", TRYGG_HEMGANG, days=14)], monthly_max=MAXTAXA_2024)

    assert (fee.care_before_cap, fee.cap_applied, fee.care_amount) == (
        Decimal(2576),
        "maxtaxa",
        Decimal(2575),
    )


def test_food_in_short_term_care_is_charged_beside_the_capped_care_fee() -> None:
    usages = [
        Usage("Korttidsplats", SHORT_TERM, days=10),
        Usage("Trygg hemgång", TRYGG_HEMGANG, days=4),
    ]

    fee = monthly_fee(usages, monthly_max=MAXTAXA_2024)

    assert [(line.care_amount, line.food_amount) for line in fee.lines] == [
        (Decimal(2860), Decimal(1300)),
        (Decimal(736), Decimal(0)),
    ]
    assert (fee.care_amount, fee.food_amount, fee.total) == (
        Decimal(2575),
        Decimal(1300),
        Decimal(3875),
    )


def test_a_recorded_fee_room_below_the_maxtaxa_caps_the_fee() -> None:
    usage = [Usage("Trygg hemgång", TRYGG_HEMGANG, days=10)]

    fee = monthly_fee(usage, monthly_max=MAXTAXA_2024, fee_room=Decimal(1200))

    assert (fee.cap, fee.cap_applied, fee.care_amount) == (Decimal(1200), "fee_room", Decimal(1200))


def test_a_fee_room_above_the_maxtaxa_does_not_raise_the_cap() -> None:
    usage = [Usage("Trygg hemgång", TRYGG_HEMGANG, days=14)]

    fee = monthly_fee(usage, monthly_max=MAXTAXA_2024, fee_room=Decimal(5000))

    assert (fee.cap, fee.cap_applied, fee.care_amount) == (
        Decimal(2575),
        "maxtaxa",
        Decimal(2575),
    )


def test_free_reablement_and_an_hourly_fee_are_configuration_too() -> None:
    free = FeeTerms(kind=FeeKind.FREE)
    hourly = FeeTerms(kind=FeeKind.PER_HOUR, hourly_amount=Decimal("312.50"))

    fee = monthly_fee(
        [Usage("Vardagsrehab", free, days=20), Usage("Hemtjänst", hourly, hours=Decimal(3))],
        monthly_max=MAXTAXA_2024,
    )

    assert [line.care_amount for line in fee.lines] == [Decimal(0), Decimal(938)]
    assert fee.care_amount == Decimal(938)
