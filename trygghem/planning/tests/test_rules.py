import datetime

import pytest

from trygghem.planning import rules
from trygghem.planning.rules import (
    Conflict,
    ConflictKind,
    DelegationSpan,
    GoesTo,
    PlannedVisit,
    StaffDay,
    TemplateSpec,
    VisitSpec,
)

MONDAY = datetime.date(2026, 3, 9)
TUESDAY = MONDAY + datetime.timedelta(days=1)
HOME_A = (60.5460, 16.2830)
HOME_B = (60.5510, 16.3010)  # about 1.13 km from A: 2.94 minutes at 30 km/h with 1.3 detour
FAR = (60.7000, 16.5000)


def _spec(**overrides: object) -> TemplateSpec:
    values: dict[str, object] = {
        "weekdays": (0, 1, 2, 3, 4, 5, 6),
        "starts_on": MONDAY,
        "ends_on": None,
        "window_start": 8 * 60,
        "window_end": 9 * 60,
        "duration": 45,
    }
    values.update(overrides)
    return TemplateSpec(**values)  # type: ignore[arg-type]


def _visit(id: str, start: int | None, **overrides: object) -> PlannedVisit:
    values: dict[str, object] = {
        "id": id,
        "client": "p-" + id,
        "team": "Trygg hemgång",
        "window": (0, 24 * 60),
        "duration": 30,
        "start": start,
        "staff": ("s1",),
    }
    values.update(overrides)
    return PlannedVisit(**values)  # type: ignore[arg-type]


STAFF = {
    "s1": StaffDay("s1", "Anna", (7 * 60, 15 * 60 + 30), frozenset({"rehab"})),
    "s2": StaffDay("s2", "Bo", (7 * 60, 15 * 60 + 30), frozenset()),
}


def _kinds(conflicts: list[Conflict]) -> list[tuple[str, tuple[str, ...], str | None]]:
    return [(str(c.kind), c.visits, c.staff) for c in conflicts]


# Clock


@pytest.mark.parametrize(("minute", "text"), [(0, "00:00"), (485, "08:05"), (1439, "23:59")])
def test_clock_writes_minutes_as_hours_and_minutes(minute: int, text: str) -> None:
    assert rules.clock(minute) == text


# Generating visits


def test_a_template_gives_a_visit_on_its_weekdays_only() -> None:
    spec = _spec(weekdays=(0,))
    assert rules.visit_on(spec, MONDAY) == VisitSpec(480, 540, 45, GoesTo.REABLEMENT, False)
    assert rules.visit_on(spec, TUESDAY) is None


def test_a_template_gives_no_visit_before_it_starts_or_after_it_ends() -> None:
    spec = _spec(starts_on=TUESDAY, ends_on=TUESDAY)
    assert rules.visit_on(spec, MONDAY) is None
    assert rules.visit_on(spec, TUESDAY) is not None
    assert rules.visit_on(spec, TUESDAY + datetime.timedelta(days=1)) is None


def test_a_template_without_an_end_runs_on() -> None:
    assert rules.visit_on(_spec(), MONDAY + datetime.timedelta(days=400)) is not None


def test_the_duration_tapers_from_the_given_day_on() -> None:
    spec = _spec(taper_after_days=3, taper_to=20)
    assert [rules.duration_on(spec, MONDAY + datetime.timedelta(days=n)) for n in range(5)] == [
        45,
        45,
        45,
        20,
        20,
    ]


@pytest.mark.parametrize(("after", "to"), [(None, 20), (3, None)])
def test_a_half_given_taper_keeps_the_duration(after: int | None, to: int | None) -> None:
    spec = _spec(taper_after_days=after, taper_to=to)
    assert rules.duration_on(spec, MONDAY + datetime.timedelta(days=10)) == 45


@pytest.mark.parametrize(
    ("window", "duration", "goes_to"),
    [
        ((7 * 60, 7 * 60), 30, GoesTo.REABLEMENT),
        ((6 * 60 + 59, 7 * 60), 30, GoesTo.HOME_CARE),
        ((15 * 60, 15 * 60), 30, GoesTo.REABLEMENT),
        ((15 * 60, 15 * 60 + 1), 30, GoesTo.HOME_CARE),
        ((18 * 60, 19 * 60), 30, GoesTo.HOME_CARE),
    ],
)
def test_visits_outside_07_to_15_30_go_to_home_care_done_with_the_person(
    window: tuple[int, int], duration: int, goes_to: GoesTo
) -> None:
    spec = _spec(window_start=window[0], window_end=window[1], duration=duration)
    visit = rules.visit_on(spec, MONDAY)
    assert visit is not None
    assert (visit.goes_to, visit.with_the_person) == (goes_to, goes_to == GoesTo.HOME_CARE)


def test_a_tapered_visit_that_fits_the_team_hours_again_goes_to_the_team() -> None:
    spec = _spec(
        window_start=15 * 60, window_end=15 * 60, duration=45, taper_after_days=1, taper_to=30
    )
    first = rules.visit_on(spec, MONDAY)
    later = rules.visit_on(spec, TUESDAY)
    assert first is not None and later is not None
    assert (first.goes_to, later.goes_to) == (GoesTo.HOME_CARE, GoesTo.REABLEMENT)


# Delegations and skills


def test_a_delegation_is_valid_from_its_first_to_its_last_day() -> None:
    delegation = DelegationSpan("medication", MONDAY, TUESDAY, None)
    days = [
        MONDAY - datetime.timedelta(days=1),
        MONDAY,
        TUESDAY,
        TUESDAY + datetime.timedelta(days=1),
    ]
    assert [rules.delegation_valid_on(delegation, day) for day in days] == [
        False,
        True,
        True,
        False,
    ]


def test_a_withdrawn_delegation_no_longer_counts_from_the_day_it_is_withdrawn() -> None:
    delegation = DelegationSpan("medication", MONDAY, MONDAY + datetime.timedelta(days=30), TUESDAY)
    assert rules.delegation_valid_on(delegation, MONDAY) is True
    assert rules.delegation_valid_on(delegation, TUESDAY) is False


def test_a_delegation_is_expiring_when_it_ends_within_30_days() -> None:
    def ending(days: int) -> DelegationSpan:
        return DelegationSpan("medication", MONDAY, MONDAY + datetime.timedelta(days=days), None)

    assert rules.delegation_expiring(ending(30), MONDAY) is True
    assert rules.delegation_expiring(ending(31), MONDAY) is False
    assert rules.delegation_expiring(ending(0), MONDAY + datetime.timedelta(days=1)) is False


def test_skills_are_the_roles_and_the_valid_delegations() -> None:
    valid = DelegationSpan("medication", MONDAY, TUESDAY, None)
    expired = DelegationSpan("insulin", MONDAY, MONDAY, None)
    assert rules.skills_on("rehab_assistant", [valid, expired], TUESDAY) == {"rehab", "medication"}
    assert rules.skills_on("care_worker", [expired], TUESDAY) == frozenset()
    assert "medication" in rules.skills_on("nurse", [], TUESDAY)


# Travel


def test_travel_time_is_the_planners_haversine_at_30_kmh_with_a_detour_of_1_3() -> None:
    assert rules.travel_minutes(HOME_A, HOME_B) == pytest.approx(2.9388, abs=0.0001)
    assert rules.travel_minutes(HOME_A, HOME_A) == 0.0
    assert rules.travel_minutes(HOME_A, None) == 0.0


# Conflicts


def test_a_plan_without_problems_has_no_conflicts() -> None:
    visits = [_visit("a", 480, location=HOME_A), _visit("b", 520, location=HOME_B)]
    assert rules.find_conflicts(visits, STAFF) == []


def test_visits_not_placed_in_time_take_part_in_no_conflict() -> None:
    visits = [_visit("a", None, client="p"), _visit("b", 480, client="p", skills=("x",))]
    assert _kinds(rules.find_conflicts(visits, STAFF)) == [("skill_missing", ("b",), "s1")]


def test_a_staff_member_booked_twice_at_once_is_a_conflict() -> None:
    visits = [_visit("a", 480), _visit("b", 500)]
    conflicts = rules.find_conflicts(visits, STAFF)
    assert _kinds(conflicts) == [("double_booked", ("a", "b"), "s1")]
    assert conflicts[0].message == "Anna is booked twice: 08:00–08:30 and 08:20–08:50."


def test_back_to_back_visits_at_the_same_home_are_no_conflict() -> None:
    visits = [_visit("a", 480, location=HOME_A), _visit("b", 510, location=HOME_A)]
    assert rules.find_conflicts(visits, STAFF) == []


def test_too_little_time_to_travel_between_homes_is_a_conflict() -> None:
    visits = [_visit("a", 480, location=HOME_A), _visit("b", 512, location=HOME_B)]
    conflicts = rules.find_conflicts(visits, STAFF)
    assert _kinds(conflicts) == [("travel", ("a", "b"), "s1")]
    assert conflicts[0].message == (
        "Anna cannot travel in time: 3 minutes needed, 2 between 08:00–08:30 and 08:32–09:02."
    )


def test_enough_time_to_travel_is_no_conflict() -> None:
    visits = [_visit("a", 480, location=HOME_A), _visit("b", 514, location=HOME_B)]
    assert rules.find_conflicts(visits, STAFF) == []


def test_a_person_with_two_visits_from_different_teams_at_once_is_a_conflict() -> None:
    visits = [
        _visit("a", 480, client="p", staff=("s1",)),
        _visit("b", 490, client="p", staff=("s2",), team="Hemtjänst Centrum"),
    ]
    conflicts = rules.find_conflicts(visits, STAFF)
    assert _kinds(conflicts) == [("client_overlap", ("a", "b"), None)]
    assert conflicts[0].message == (
        "The person gets two visits at once: 08:00–08:30 (Trygg hemgång) and "
        "08:10–08:40 (Hemtjänst Centrum)."
    )


def test_a_person_with_two_visits_from_one_team_at_once_is_a_conflict_too() -> None:
    visits = [_visit("a", 480, client="p"), _visit("b", 490, client="p", staff=("s2",))]
    conflicts = rules.find_conflicts(visits, STAFF)
    assert _kinds(conflicts) == [("client_overlap", ("a", "b"), None)]
    assert (
        conflicts[0].message == "The person gets two visits at once: 08:00–08:30 and 08:10–08:40."
    )


def test_a_double_staffed_visit_is_one_visit_for_the_person() -> None:
    visits = [_visit("a", 480, client="p", staff=("s1", "s2"))]
    assert rules.find_conflicts(visits, STAFF) == []


def test_a_staff_member_without_the_skill_is_a_conflict() -> None:
    visits = [_visit("a", 480, staff=("s2",), skills=("medication", "rehab"))]
    conflicts = rules.find_conflicts(visits, STAFF)
    assert _kinds(conflicts) == [("skill_missing", ("a",), "s2")]
    assert conflicts[0].message == "Bo lacks medication, rehab (a valid delegation or the role)."


def test_a_visit_outside_the_staff_members_shift_is_a_conflict() -> None:
    visits = [_visit("a", 15 * 60 + 10)]
    conflicts = rules.find_conflicts(visits, STAFF)
    assert _kinds(conflicts) == [("outside_shift", ("a",), "s1")]
    assert conflicts[0].message == "15:10–15:40 is outside Anna's shift 07:00–15:30."


def test_a_staff_member_without_a_shift_is_a_conflict() -> None:
    staff = {"s1": StaffDay("s1", "Anna", None, frozenset())}
    conflicts = rules.find_conflicts([_visit("a", 480)], staff)
    assert [(str(c.kind), c.message) for c in conflicts] == [
        ("outside_shift", "Anna has no shift this day.")
    ]


def test_an_unknown_staff_member_has_no_shift_and_no_skills() -> None:
    conflicts = rules.find_conflicts([_visit("a", 480, staff=("x",), skills=("rehab",))], {})
    assert _kinds(conflicts) == [("outside_shift", ("a",), "x"), ("skill_missing", ("a",), "x")]


@pytest.mark.parametrize(
    ("start", "missed"), [(479, True), (480, False), (540, False), (541, True)]
)
def test_a_start_outside_the_window_is_a_conflict(start: int, missed: bool) -> None:
    visits = [_visit("a", start, window=(480, 540))]
    conflicts = rules.find_conflicts(visits, STAFF)
    assert _kinds(conflicts) == ([("window_missed", ("a",), None)] if missed else [])


def test_the_window_message_names_the_start_and_the_window() -> None:
    conflicts = rules.find_conflicts([_visit("a", 600, window=(480, 540))], STAFF)
    assert conflicts[0].message == "Starts at 10:00, outside its window 08:00–09:00."


def test_one_visit_can_take_part_in_several_conflicts() -> None:
    visits = [
        _visit("a", 480, client="p", location=HOME_A),
        _visit("b", 490, client="p", location=FAR, window=(600, 660), skills=("medication",)),
    ]
    conflicts = rules.find_conflicts(visits, STAFF)
    assert sorted(str(c.kind) for c in rules.conflicts_of(conflicts, "b")) == [
        "client_overlap",
        "double_booked",
        "skill_missing",
        "window_missed",
    ]
    assert [str(c.kind) for c in rules.conflicts_of(conflicts, "a")] == [
        "double_booked",
        "client_overlap",
    ]


def test_replace_visit_proposes_a_new_start_for_one_visit() -> None:
    visits = [_visit("a", 480), _visit("b", 490)]
    moved = _visit("b", 540)
    assert rules.replace_visit(visits, moved) == [visits[0], moved]
    assert rules.find_conflicts(rules.replace_visit(visits, moved), STAFF) == []


def test_conflict_kinds_are_the_six_of_the_issue() -> None:
    assert [str(kind) for kind in ConflictKind] == [
        "double_booked",
        "travel",
        "client_overlap",
        "skill_missing",
        "outside_shift",
        "window_missed",
    ]


# Continuity


def test_distinct_staff_counts_each_staff_member_once() -> None:
    assignments = [(MONDAY, "s1"), (MONDAY, "s2"), (TUESDAY, "s1"), (TUESDAY, "s3")]
    assert rules.distinct_staff(assignments, None) == 3
    assert rules.distinct_staff(assignments, TUESDAY) == 2
    assert rules.distinct_staff([], None) == 0


# Timeline


@pytest.mark.parametrize(
    ("start", "duration", "columns"),
    [
        (6 * 60, 15, (1, 1)),
        (8 * 60, 30, (9, 2)),
        (8 * 60 + 10, 30, (9, 3)),
        (8 * 60, 1, (9, 1)),
        (5 * 60, 30, (1, 1)),
        (22 * 60 + 50, 60, (68, 1)),
        (23 * 60 + 30, 30, (68, 1)),
    ],
)
def test_timeline_columns_snap_to_15_minutes_and_stay_on_the_timeline(
    start: int, duration: int, columns: tuple[int, int]
) -> None:
    assert rules.timeline_columns(start, duration) == columns
