"""The demo's planned home-care decisions of one person: one after the other, never two in force
on one day, nothing after the horizon."""

import datetime
from decimal import Decimal

from trygghem.demo.home_care import _hours_again, _Planned, _Timeline

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


def _spans(timeline: _Timeline) -> list[tuple[Decimal, datetime.date, datetime.date | None]]:
    return [(p.hours, p.start_on, p.end_on) for p in timeline.decisions]


def test_a_new_decision_ends_the_one_in_force_the_day_before() -> None:
    timeline = _Timeline(TODAY)

    timeline.start(datetime.date(2026, 1, 1), Decimal("6.0"), by=1)
    timeline.start(datetime.date(2026, 2, 1), Decimal("3.5"), by=2, episode=7)

    assert _spans(timeline) == [
        (Decimal("6.0"), datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)),
        (Decimal("3.5"), datetime.date(2026, 2, 1), None),
    ]
    assert timeline.decisions[1] == _Planned(Decimal("3.5"), datetime.date(2026, 2, 1), None, 2, 7)


def test_the_same_hours_again_or_a_start_after_the_horizon_change_nothing() -> None:
    timeline = _Timeline(TODAY)
    timeline.start(datetime.date(2026, 1, 1), Decimal("2.0"), by=1)

    timeline.start(datetime.date(2026, 2, 1), Decimal("2.0"), by=2)
    timeline.start(TODAY + DAY, Decimal("4.0"), by=2)

    assert _spans(timeline) == [(Decimal("2.0"), datetime.date(2026, 1, 1), None)]


def test_a_decision_starting_on_or_before_the_last_one_takes_its_place() -> None:
    timeline = _Timeline(TODAY)
    timeline.start(datetime.date(2026, 1, 1), Decimal("5.0"), by=1)
    timeline.start(datetime.date(2026, 2, 1), Decimal("3.0"), by=1)

    timeline.start(datetime.date(2026, 2, 1), Decimal("4.0"), by=3, episode=9)

    assert _spans(timeline) == [
        (Decimal("5.0"), datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)),
        (Decimal("4.0"), datetime.date(2026, 2, 1), None),
    ]
    assert (timeline.decisions[1].decided_by, timeline.decisions[1].episode) == (3, 9)


def test_a_stop_before_the_start_removes_the_decision_and_after_the_horizon_is_ignored() -> None:
    timeline = _Timeline(TODAY)
    timeline.start(datetime.date(2026, 1, 1), Decimal("5.0"), by=1)
    timeline.start(datetime.date(2026, 2, 1), Decimal("3.0"), by=1)

    timeline.stop(TODAY + DAY)
    assert timeline.current is not None

    timeline.stop(datetime.date(2026, 1, 20))
    assert _spans(timeline) == [
        (Decimal("5.0"), datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)),
    ]
    assert timeline.current is None


def test_a_referral_after_an_earlier_episode_keeps_near_the_hours_in_force() -> None:
    timeline = _Timeline(TODAY)
    drawn = [Decimal("15.0"), Decimal("0"), Decimal("4.0")]
    # Nothing in force (never, or stopped after the earlier episode): the story's own draw.
    assert [_hours_again(timeline, d) for d in drawn] == drawn
    timeline.start(datetime.date(2026, 1, 1), Decimal("3.0"), by=1, episode=4)
    # 3 h in force: at least those, at most half as many again.
    assert [_hours_again(timeline, d) for d in drawn] == [
        Decimal("4.5"),
        Decimal("3.0"),
        Decimal("4.0"),
    ]
    timeline.stop(datetime.date(2026, 2, 1))
    assert [_hours_again(timeline, d) for d in drawn] == drawn
